/**
 * The whole screen (RecordView) over the sandbox's demo patients, assessed by the real engine: the
 * headline, flags and gaps a rheumatologist would expect for each, accessibility, evidence links,
 * export, and FHIR text rendered as text.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ThemeProvider } from "@mui/material/styles";
import { RecordView, type RecordViewProps } from "../../src/ui/record/RecordView";
import { themeFromSmartStyle } from "../../src/ui/theme";
import { XSS, XSS_ID } from "../../sandbox/data/xss-strings";
import { AS_OF, SPEC_LABELS, demo, labResources, patientResource, probableAssessment, seriousViolations, snapshot } from "./fixtures";
import { indexResources } from "../../src/ui/evidence/fhirText";

function renderDemo(id: string, props: Partial<RecordViewProps> = {}) {
  const d = demo(id);
  const utils = render(
    <ThemeProvider theme={themeFromSmartStyle()}>
      <RecordView
        patient={d.patient}
        assessment={d.assessment}
        snapshot={d.snapshot}
        resourcesById={d.resourcesById}
        asOf={AS_OF}
        {...props}
      />
    </ThemeProvider>,
  );
  return { ...utils, d };
}

function readBlob(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsText(b);
  });
}

const gapRules = () => screen.queryAllByTestId("gap").map((g) => g.getAttribute("data-rule"));
const causeText = () => screen.queryAllByTestId("secondary-cause").map((g) => g.textContent ?? "");

describe("RecordView over the demo patients", { timeout: 60_000 }, () => {
  it("modena-1: documented PC, left shoulder 12 cm and right hip on the figure", async () => {
    const { container, d } = renderDemo("modena-1");
    expect(d.expectedStatus).toBe("documented");
    expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.documented);
    const lesions = screen.getAllByTestId("lesion").map((l) => l.textContent ?? "");
    // One row per lesion, named as the engine names the site (Lesion.siteLabel).
    expect(lesions.some((t) => t.includes("Left shoulder") && t.includes("Latest 12 cm"))).toBe(true);
    expect(container.querySelector('[data-region="shoulder-elbow:L"]')!.getAttribute("data-involved")).toBe("true");
    expect(container.querySelector('[data-region="hip-pelvis:R"]')!.getAttribute("data-involved")).toBe("true");
    // Severe vascular phenotype (digital ulcers, PAH) and no spine CT/MRI: ask for a targeted spinal review.
    expect(gapRules()).toContain("G-SPINE");
    expect(screen.queryByTestId("red-flag")).toBeNull();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("modena-2: documented PC with spinal lesions, and the missing calcium-phosphate workup", async () => {
    const { container } = renderDemo("modena-2");
    expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.documented);
    expect(container.querySelector('[data-region="spine:M"]')!.getAttribute("data-involved")).toBe("true");
    for (const g of ["G-CA", "G-PHOS", "G-PTH", "G-VITD"]) expect(gapRules()).toContain(g);
    // No neurological symptoms on record: no spinal red flag.
    expect(screen.queryAllByTestId("red-flag").some((f) => f.textContent?.includes("RF-SPINE"))).toBe(false);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("modena-3: probable PC, growth 8.8 → 10 cm, PTH 86.5 flagged for review", async () => {
    const { container } = renderDemo("modena-3");
    expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.probable);
    expect(screen.getByTestId("growth").textContent).toMatch(/8\.8 cm .*→ 10 cm/);
    const pth = causeText().find((t) => t.includes("S-PTH"));
    expect(pth).toBeDefined();
    expect(pth).toContain("86.5");
    expect(gapRules()).toContain("G-SPINE");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("ssc-ckd: probable PC with kidney disease, phosphate and PTH flags", async () => {
    const { container } = renderDemo("ssc-ckd");
    expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.probable);
    const causes = causeText().join("\n");
    for (const id of ["S-CKD", "S-PHOS", "S-PTH"]) expect(causes).toContain(id);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("ssc-no-calcinosis: no evidence, with a screening suggestion", async () => {
    const { container } = renderDemo("ssc-no-calcinosis");
    expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS["no-evidence"]);
    expect(gapRules()).toEqual(["G-SCREEN"]);
    expect(screen.queryAllByTestId("lesion")).toHaveLength(0);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("no-ssc: not assessed, no gaps, no flags", async () => {
    const { container } = renderDemo("no-ssc");
    expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS["not-applicable"]);
    expect(gapRules()).toEqual([]);
    expect(screen.queryByTestId("red-flag")).toBeNull();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("every evidence link opens the underlying resource", async () => {
    const user = userEvent.setup();
    const { d } = renderDemo("modena-3");
    const chips = screen.getAllByRole("button", { name: /^Open evidence:/ });
    expect(chips.length).toBeGreaterThan(5);
    for (const chip of chips) {
      const ref = chip.getAttribute("data-evidence")!;
      expect(d.resourcesById.has(ref)).toBe(true);
    }
    const ct = chips.find((c) => c.getAttribute("data-evidence")?.startsWith("DiagnosticReport/"))!;
    await user.click(ct);
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("tab", { name: "Raw JSON" }));
    expect(JSON.parse(within(dialog).getByTestId("evidence-json").textContent!)).toEqual(
      d.resourcesById.get(ct.getAttribute("data-evidence")!),
    );
  });
});

describe("red flags", { timeout: 60_000 }, () => {
  it("come first, above the headline and every panel", async () => {
    const a = probableAssessment({
      redFlags: [
        { ruleId: "RF-COMP", text: "Dorsal lesion with an ulcer and discharge on record", evidence: ["Condition/ulc-1"], sources: ["Z"] },
      ],
    });
    const resources = [
      patientResource(),
      { resourceType: "Condition", id: "ulc-1", code: { text: "Ulcer over dorsal mass" } },
      ...labResources(),
    ];
    const { container } = render(
      <ThemeProvider theme={themeFromSmartStyle()}>
        <RecordView
          patient={resources[0]}
          assessment={a}
          snapshot={snapshot(resources)}
          resourcesById={indexResources(resources)}
          asOf={AS_OF}
        />
      </ThemeProvider>,
    );
    const flags = screen.getByRole("region", { name: /needs attention first/i });
    expect(within(flags).getByTestId("red-flag").textContent).toContain("Dorsal lesion with an ulcer and discharge on record");
    for (const id of ["headline", "findings", "secondary-causes", "workup-gaps", "labs", "imaging", "data-quality"]) {
      const el = container.querySelector(`#${id}`);
      expect(el, id).not.toBeNull();
      expect(flags.compareDocumentPosition(el!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("FHIR text is rendered as text", { timeout: 60_000 }, () => {
  afterEach(() => {
    delete (window as { __pwned?: unknown }).__pwned;
  });

  it("shows markup and script from the record literally and runs none of it", async () => {
    const alert = vi.spyOn(window, "alert").mockImplementation(() => {});
    const { container, d } = renderDemo(XSS_ID);
    expect(d.assessment.status).toBe("probable");
    // The strings appear as text ...
    expect(screen.getByTestId("patient-name").textContent).toContain(XSS.patientName);
    const text = container.textContent ?? "";
    expect(text).toContain(XSS.studyDescription);
    expect(text).toContain("<b>bold</b> Periarticular calcific mass of the right knee, 2.5 cm.");
    // ... and none of them became elements or handlers.
    expect(container.querySelector("script, iframe, img, style, b, i, u, a[href^='javascript']")).toBeNull();
    const withHandlers = [...container.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on")));
    expect(withHandlers).toEqual([]);
    expect(container.querySelectorAll("svg[onload]")).toHaveLength(0);
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
    expect(alert).not.toHaveBeenCalled();
    expect(await seriousViolations(container)).toEqual([]);
    alert.mockRestore();
  });

  it("keeps markup inert in the evidence viewer too", async () => {
    const user = userEvent.setup();
    const { baseElement } = renderDemo(XSS_ID);
    const chip = screen.getAllByRole("button", { name: /^Open evidence: DiagnosticReport/ })[0];
    await user.click(chip);
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain(XSS.reportTitle);
    expect(dialog.querySelector("svg[onload], script, img, b")).toBeNull();
    await user.click(within(dialog).getByRole("tab", { name: "Raw JSON" }));
    expect(within(dialog).getByTestId("evidence-json").textContent).toContain(XSS.reportTitle.replace(/"/g, '\\"'));
    expect(baseElement.querySelector("script")).toBeNull();
  });
});

describe("export", { timeout: 60_000 }, () => {
  it("copies a plain-text summary with the status, flags, gaps and ruleset", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderDemo("modena-3");
    await user.click(screen.getByRole("button", { name: "Copy summary" }));
    expect(writeText).toHaveBeenCalledTimes(1);
    const text = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(text).toContain(`Status: ${SPEC_LABELS.probable}`);
    expect(text).toContain("ruleset pc-ssc 1.1.0, as of 2026-11-21");
    expect(text).toMatch(/Workup gaps:\n- .*\[G-/);
    expect(text).toMatch(/Secondary causes to review:\n- .*\[S-PTH\]/);
    expect(text).not.toMatch(/<[a-z]/i);
    expect(screen.getByTestId("export-status").textContent).toBe("Summary copied to the clipboard.");
  });

  it("downloads the Assessment as JSON", async () => {
    const user = userEvent.setup();
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return "blob:assessment";
    });
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const { d } = renderDemo("modena-3");
    await user.click(screen.getByRole("button", { name: "Download JSON" }));
    expect(clicks).toEqual(["assessment-modena-3-2026-11-21.json"]);
    expect(JSON.parse(await readBlob(blobs[0]))).toEqual(JSON.parse(JSON.stringify(d.assessment)));
    create.mockRestore();
    click.mockRestore();
  });

  it("prints", async () => {
    const user = userEvent.setup();
    const print = vi.spyOn(window, "print").mockImplementation(() => {});
    renderDemo("modena-3");
    await user.click(screen.getByRole("button", { name: "Print" }));
    expect(print).toHaveBeenCalledTimes(1);
    print.mockRestore();
  });
});

describe("keyboard", { timeout: 60_000 }, () => {
  it("reaches every control with Tab, in document (reading) order", async () => {
    const user = userEvent.setup();
    renderDemo("modena-3");
    const seen: Element[] = [];
    for (let i = 0; i < 400; i++) {
      await user.tab();
      const el = document.activeElement;
      if (!el || el === document.body || seen.includes(el)) break;
      seen.push(el);
    }
    const names = seen.map((e) => e.getAttribute("aria-label") ?? e.textContent ?? "");
    expect(names).toContain("Copy summary");
    expect(names.some((n) => n.startsWith("Open evidence:"))).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i - 1].compareDocumentPosition(seen[i]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
    // Every button on the page is in the walk.
    const buttons = screen.getAllByRole("button").filter((b) => !b.closest("[aria-hidden='true']"));
    for (const b of buttons) expect(seen).toContain(b);
  });
});

describe("RecordView: a panel that fails to render", () => {
  it("says that panel could not be shown and keeps the rest of the record", async () => {
    const d = demo("modena-3");
    // A lab summary of a shape the panel does not expect (what an engine bug or odd data could give).
    const broken = { ...d.assessment, labs: { calcium: { count: 2, history: 7 } } } as never;
    vi.spyOn(console, "error").mockImplementation(() => {});
    renderDemo("modena-3", { assessment: broken });
    const failures = screen.getAllByTestId("render-failure").map((e) => e.textContent);
    expect(failures).toContainEqual(expect.stringMatching(/^The labs panel could not be shown/));
    expect(failures.length).toBeLessThan(3);
    expect(screen.getByTestId("status-label").getAttribute("data-status")).toBe(d.assessment.status);
    expect(screen.getAllByTestId("finding").length).toBeGreaterThan(0);
  });
});
