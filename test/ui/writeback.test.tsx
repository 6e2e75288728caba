import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { ThemeProvider } from "@mui/material/styles";
import type { Bundle, Resource } from "fhir/r4";
import { themeFromSmartStyle } from "../../src/ui/theme";
import { WriteBackContainer, type WriteBackContainerProps } from "../../src/ui/writeback/WriteBackContainer";
import type { SmartClient } from "../../src/fhir/transport";
import { createFhirClient } from "../integration/helpers/fhir-client";
import type { DraftStorage } from "../../src/writeback/draft";
import type { Assessment } from "../../src/clinical/types";
import { ALL_WRITE_V2, APP_URL, REPORTS_FAILED, fullCapabilities, modena3, withMissing } from "../unit/writeback/fixtures";
import { createFakeEhr } from "../integration/writeback-fake-ehr";
import { noteIdentifier } from "../../src/writeback/resources/documentReference";

// MUI dialogs driven by user-event take seconds per test on a loaded machine (no test sleeps; the
// only timer is the 50 ms request timeout under test).
vi.setConfig({ testTimeout: 30_000 });

interface Call {
  method: string;
  /** Path under the FHIR base ("ServiceRequest", "" for the base itself), with the query. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body?: unknown } | "hang";

const BASE = "https://ehr.test/fhir";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * A stand-in EHR behind msw, in front of the real fhirclient Client and the app's transport:
 * records every request; answers creates and transactions like a FHIR server (201 + ids),
 * searches with an empty Bundle; `reply` overrides per request ("hang": never answers).
 */
function fakeEhr(reply?: (call: Call) => Reply | undefined) {
  const calls: Call[] = [];
  let next = 1;
  server.use(
    http.all(`${BASE}*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = request.method === "GET" ? "" : await request.text();
      const call: Call = {
        method: request.method,
        url: `${url.pathname.replace(/^\/fhir\/?/, "")}${url.search}`,
        headers: Object.fromEntries(request.headers),
        body: text ? JSON.parse(text) : undefined,
      };
      calls.push(call);
      const custom = reply?.(call);
      if (custom === "hang") return new Promise<never>(() => {});
      let answer: { status: number; body?: unknown };
      if (custom) answer = custom;
      else if (call.method === "GET") answer = { status: 200, body: { resourceType: "Bundle", type: "searchset", entry: [] } };
      else if ((call.body as Resource).resourceType === "Bundle") {
        const bundle = call.body as Bundle;
        answer = {
          status: 200,
          body: {
            resourceType: "Bundle",
            type: "transaction-response",
            entry: bundle.entry!.map((e) => ({
              response: { status: "201 Created", location: `${e.resource!.resourceType}/id-${next++}/_history/1` },
            })),
          },
        };
      } else answer = { status: 201, body: { ...(call.body as object), id: `id-${next++}` } };
      return new HttpResponse(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { "content-type": "application/fhir+json" },
      });
    }),
  );
  const client = createFhirClient({ serverUrl: BASE, patientId: "modena-3", scope: ALL_WRITE_V2 });
  return { client, calls, writes: () => calls.filter((c) => c.method === "POST") };
}

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function renderContainer(props: Partial<WriteBackContainerProps> & { client: SmartClient }) {
  const all: WriteBackContainerProps = {
    assessment: modena3(),
    capabilities: fullCapabilities(),
    grantedScopes: ALL_WRITE_V2,
    context: { patientId: "modena-3", fhirUser: "Practitioner/dr-rossi", encounterId: "enc-1", appUrl: APP_URL, appVersion: "0.1.0" },
    storage: memoryStorage(),
    clock: () => new Date("2026-11-21T09:30:00Z"),
    copyText: vi.fn(async () => {}),
    ...props,
  };
  const ui = (p: WriteBackContainerProps) => (
    <ThemeProvider theme={themeFromSmartStyle()}>
      <WriteBackContainer {...p} />
    </ThemeProvider>
  );
  const rendered = render(ui(all));
  return { ...rendered, props: all, rerenderWith: (p: Partial<WriteBackContainerProps>) => rendered.rerender(ui({ ...all, ...p })) };
}

async function seriousViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, { resultTypes: ["violations"], rules: { "color-contrast": { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

describe("write-back: two clicks from reading to sent", () => {
  test("review shows what will be written and the note; nothing is sent before Confirm", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    renderContainer({ client: fake.client });

    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    const dialog = await screen.findByRole("dialog", { name: "Send the findings to the EHR" });
    // What the clinician needs to know, not the protocol.
    expect(
      within(dialog).getByText("Everything chosen below is saved together, or nothing is. Sending again never makes a copy."),
    ).toBeTruthy();
    expect(dialog.textContent).not.toMatch(/transaction|identifier/i);
    const chosen = within(dialog).getByRole("heading", { name: "Structured data to record (5 of 6 chosen)" }).closest("section")!;
    const boxes = within(chosen).getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([false, true, true, true, true, true]);
    expect(
      within(chosen)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "DiagnosisAlso record a provisional diagnosis of tumoral calcinosis (with the lesion sites)Lands as a provisional diagnosis on the problem list.",
      expect.stringMatching(
        /^Flagged issueFinding \[PC-SIZE\].*Lands as a flagged issue in the chart \(the EHR may show it as an alert\)\.$/,
      ),
      expect.stringMatching(/^Flagged issueSecondary cause to review \[S-PTH\]/),
      "Order proposalProposed test (draft) [G-RENAL]: Serum creatinine (with eGFR)Lands as a draft order proposal in the orders list (not an order until a clinician signs it).",
      expect.stringMatching(/^Order proposalProposed test \(draft\) \[G-ALB\]/),
      expect.stringMatching(/^Order proposalProposed procedure \(draft\) \[G-SPINE\]/),
    ]);
    const always = within(dialog).getByRole("heading", { name: "Always saved (2)" }).closest("section")!;
    expect(
      within(always)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      expect.stringMatching(/^NoteConsult note \(preliminary\).*Lands as a note in the chart's documents\.$/),
      expect.stringMatching(/^Audit recordProvenance: written by.*Lands as an audit record of who sent these, with which app\.$/),
    ]);
    const note = within(dialog).getByTestId("writeback-note");
    expect(note.textContent).toContain("Assessment: Probable pseudotumoral calcinosis (status: probable).");
    expect(note.textContent).toContain("[S-PTH] PTH 86.5 pg/mL");
    expect(fake.calls).toEqual([]);

    await user.click(within(dialog).getByRole("button", { name: "Confirm and send" }));
    await within(dialog).findByText(/^Written to the EHR: 7 created\.$/);
    expect(fake.writes()).toHaveLength(1);
    expect((fake.writes()[0].body as Bundle).type).toBe("transaction");
    expect(fake.writes()[0].url).toBe("");
  });

  test("the result lists each created resource with its id and a JSON view", async () => {
    const user = userEvent.setup();
    renderContainer({ client: fakeEhr().client });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    const dialog = await screen.findByRole("dialog", { name: "Write-back result" });
    const created = within(dialog).getByRole("heading", { name: "In the EHR (7)" }).closest("section")!;
    expect(within(created).getByText("DocumentReference/id-6")).toBeTruthy();
    await user.click(within(created).getByRole("button", { name: "View DocumentReference/id-6" }));
    const json = within(created).getByLabelText("DocumentReference/id-6 as FHIR JSON");
    expect(JSON.parse(json.textContent!)).toMatchObject({ resourceType: "DocumentReference", id: "id-6", docStatus: "preliminary" });
    expect(within(dialog).queryByRole("button", { name: "Retry" })).toBeNull();
  });

  test("the provisional Condition is off by default and is added only when ticked", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    renderContainer({ client: fake.client });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    const box = screen.getByRole("checkbox", { name: /provisional diagnosis of tumoral calcinosis/ });
    expect((box as HTMLInputElement).checked).toBe(false);
    await user.click(box);
    expect(screen.getByRole("heading", { name: "Structured data to record (6 of 6 chosen)" })).toBeTruthy();
    expect(screen.getByTestId("writeback-note").textContent).toContain(
      "- Provisional diagnosis: tumoral calcinosis (right back/chest wall).",
    );
    expect(fake.calls).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await screen.findByText(/^Written to the EHR: 8 created\.$/);
    expect((fake.writes()[0].body as Bundle).entry![0].resource!.resourceType).toBe("Condition");
  });
});

describe("refusals, retry, copy-only", () => {
  test("a refusal is listed with the server's message; a stopped run offers a safe Retry", async () => {
    const user = userEvent.setup();
    let hangOnce = true;
    const fake = fakeEhr((call) => {
      if (
        call.method === "POST" &&
        call.url === "DetectedIssue" &&
        (call.body as { code?: { coding?: { code?: string }[] } }).code?.coding?.[0].code === "S-PTH"
      ) {
        return {
          status: 422,
          body: {
            resourceType: "OperationOutcome",
            issue: [{ severity: "error", code: "invalid", diagnostics: "DetectedIssue.code is not recognised" }],
          },
        };
      }
      if (call.method === "POST" && call.url === "ServiceRequest" && hangOnce) {
        hangOnce = false;
        return "hang";
      }
      return undefined;
    });
    renderContainer({ client: fake.client, capabilities: fullCapabilities({ transaction: false }), timeoutMs: 50 });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    const dialog = await screen.findByRole("dialog", { name: "Write-back result" });
    await within(dialog).findByText(/^Partly written to the EHR/);
    const refused = within(dialog).getByRole("heading", { name: "Refused by the EHR (1)" }).closest("section")!;
    expect(refused.textContent).toContain("The EHR said (HTTP 422): DetectedIssue.code is not recognised");
    const pending = within(dialog).getByRole("heading", { name: "Not sent yet (5)" }).closest("section")!;
    expect(pending.textContent).toMatch(/did not answer within 0\.1 s/);

    const postsBefore = fake.writes().length;
    await user.click(within(dialog).getByRole("button", { name: "Retry" }));
    await within(dialog).findByRole("heading", { name: "In the EHR (6)" });
    // The retry sent the pending ones and the refused one again; the earlier ones are re-sent only with If-None-Exist.
    for (const w of fake.writes().slice(postsBefore)) expect(w.headers["if-none-exist"]).toMatch(/^(identifier|_tag)=/);
  });

  test("copy-only (read-only registration): the reason once, no choices, a Copy button; the note is copied as text", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    const copyText = vi.fn(async (_text: string) => {});
    renderContainer({ client: fake.client, grantedScopes: "launch openid fhirUser patient/*.rs", copyText });
    await user.click(screen.getByRole("button", { name: "Copy note for the EHR…" }));
    const dialog = await screen.findByRole("dialog", { name: "Copy the findings into the EHR" });
    expect(within(dialog).getByText(/^Nothing can be saved to this EHR from the app: the app was registered read-only/)).toBeTruthy();
    // Stated once, not once per resource: in the review, and in the note's list of what it does not record.
    const note = within(dialog).getByTestId("writeback-note").textContent!;
    expect(dialog.textContent!.replace(note, "").match(/read-only|permission/g)).toHaveLength(1);
    expect(note.match(/read-only|permission/g)).toHaveLength(1);
    expect(within(dialog).queryByRole("checkbox")).toBeNull();
    expect(within(dialog).queryByRole("button", { name: "Confirm and send" })).toBeNull();
    expect(within(dialog).queryByRole("heading", { name: /Will not be saved/ })).toBeNull();
    const copy = within(dialog).getByRole("button", { name: "Copy note" });
    expect(copy.className).toMatch(/MuiButton-contained/);
    await user.click(copy);
    expect(copyText).toHaveBeenCalledTimes(1);
    expect(copyText.mock.calls[0][0]).toBe(within(dialog).getByTestId("writeback-note").textContent);
    expect(await within(dialog).findByText("The note was copied. Paste it into the chart.")).toBeTruthy();
    expect(fake.calls).toEqual([]);
  });

  test("what cannot be saved is grouped by reason, each reason once", async () => {
    const user = userEvent.setup();
    renderContainer({ client: fakeEhr().client, grantedScopes: "launch openid fhirUser patient/DocumentReference.c patient/Provenance.c" });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    const skipped = screen.getByRole("heading", { name: "Will not be saved (5)" }).closest("section")!;
    expect(
      within(skipped)
        .getAllByText(/^Why:/)
        .map((el) => el.textContent),
    ).toEqual([
      "Why: the app was not given permission to create flagged issues (no patient/DetectedIssue.c scope).",
      "Why: the app was not given permission to create order proposals (no patient/ServiceRequest.c scope).",
    ]);
    expect(within(skipped).getAllByRole("listitem")).toHaveLength(5);
  });

  test("while capabilities are being read, sending waits", () => {
    renderContainer({ client: fakeEhr().client, capabilities: undefined });
    expect((screen.getByRole("button", { name: "Send to EHR…" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Checking what this EHR accepts…")).toBeTruthy();
  });
});

describe("draft", () => {
  test("an unsent draft (with its choices) survives a reload and a relaunch of the same patient", async () => {
    const user = userEvent.setup();
    const storage = memoryStorage();
    const first = renderContainer({ client: fakeEhr().client, storage });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("checkbox", { name: /provisional diagnosis/ }));
    first.unmount(); // page reload / session expired

    const fake = fakeEhr();
    renderContainer({ client: fake.client, storage }); // relaunch, fresh assessment of the same record
    expect(screen.getByText("You have an unsent write-back draft for these findings.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    expect((screen.getByRole("checkbox", { name: /provisional diagnosis/ }) as HTMLInputElement).checked).toBe(true);
    // Nothing about the patient in storage: only a hashed key, choices and state.
    const [[key, value]] = [...storage.data];
    expect(key).not.toContain("modena");
    expect(value).not.toMatch(/modena|PTH|Patient/);
  });

  test("a draft is not applied to another patient", async () => {
    const user = userEvent.setup();
    const storage = memoryStorage();
    const first = renderContainer({ client: fakeEhr().client, storage });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("checkbox", { name: /provisional diagnosis/ }));
    first.unmount();
    expect(storage.data.size).toBe(1);
    const other: Assessment = { ...modena3(), patient: { ...modena3().patient, id: "other" } };
    renderContainer({
      client: fakeEhr().client,
      storage,
      assessment: other,
      context: { patientId: "other", appUrl: APP_URL, appVersion: "0.1.0" },
    });
    expect(screen.queryByText(/unsent write-back draft/)).toBeNull();
  });

  test("an assessment of another patient than the launch context is refused", () => {
    renderContainer({ client: fakeEhr().client, context: { patientId: "modena-1", appUrl: APP_URL, appVersion: "0.1.0" } });
    expect(screen.getByText(/^Write-back is not available: The assessment is for another patient/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Send to EHR…" })).toBeNull();
  });
});

describe("accessibility and safety", () => {
  test("keyboard only: open, read, confirm; focus moves into the dialog and back", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    renderContainer({ client: fake.client });
    const trigger = screen.getByRole("button", { name: "Send to EHR…" });
    trigger.focus();
    await user.keyboard("{Enter}");
    const dialog = await screen.findByRole("dialog");
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    expect(await seriousViolations(document.body)).toEqual([]);
    // Tab through to "Confirm and send" and press it.
    for (let i = 0; i < 12 && document.activeElement?.textContent !== "Confirm and send"; i++) await user.tab();
    expect(document.activeElement?.textContent).toBe("Confirm and send");
    await user.keyboard("{Enter}");
    await screen.findByText(/^Written to the EHR/);
    expect(await seriousViolations(document.body)).toEqual([]);
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(trigger));
    expect(screen.getByRole("status").textContent).toMatch(/^Written to the EHR: 7 created\.$/);
  });

  test("text from the record and the server is shown as text, never as HTML", async () => {
    const user = userEvent.setup();
    const a = modena3();
    a.findings[0].text = '<img src=x onerror="window.__pwned=1"> mass';
    const fake = fakeEhr((call) =>
      call.method === "POST"
        ? {
            status: 422,
            body: { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "invalid", diagnostics: "<b>bold</b> refusal" }] },
          }
        : undefined,
    );
    const { container } = renderContainer({ client: fake.client, assessment: a, capabilities: fullCapabilities({ transaction: false }) });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    expect(document.body.querySelector("img")).toBeNull();
    expect(screen.getByTestId("writeback-note").textContent).toContain('<img src=x onerror="window.__pwned=1"> mass');
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await screen.findByText(/^Nothing was written to the EHR/);
    expect(document.body.querySelector("b")).toBeNull();
    expect(screen.getAllByText(/<b>bold<\/b> refusal/).length).toBeGreaterThan(0);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    expect(container).toBeTruthy();
  });

  test("double-clicking Confirm sends once", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    renderContainer({ client: fake.client });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    const confirm = screen.getByRole("button", { name: "Confirm and send" });
    await act(async () => {
      confirm.click();
      confirm.click();
    });
    await screen.findByText(/^Written to the EHR/);
    expect(fake.writes()).toHaveLength(1);
  });
});

describe("wiring helpers for the app shell", () => {
  test("relaunchHref: launch.html with the same issuer after a standalone launch; null after an EHR launch", async () => {
    const { relaunchHref } = await import("../../src/ui/writeback/launchContext");
    const standalone = {
      patient: { id: "p" },
      state: { serverUrl: "https://ehr.example/fhir", scope: "launch/patient openid fhirUser patient/*.rs" },
    };
    expect(relaunchHref(standalone, "https://apps.example/calc/index.html?x=1")).toBe(
      "https://apps.example/calc/launch.html?iss=https%3A%2F%2Fehr.example%2Ffhir",
    );
    expect(
      relaunchHref({ ...standalone, state: { ...standalone.state, scope: "launch openid patient/*.rs" } }, "https://apps.example/"),
    ).toBeNull();
    expect(relaunchHref({ ...standalone, state: { scope: "launch/patient" } }, "https://apps.example/")).toBeNull();
    expect(
      relaunchHref({ ...standalone, state: { ...standalone.state, serverUrl: "javascript:alert(1)" } }, "https://apps.example/"),
    ).toBeNull();
  });

  test("writeBackContext and grantedScopesOf read a launched client", async () => {
    const { writeBackContext, grantedScopesOf } = await import("../../src/ui/writeback/launchContext");
    const client = {
      patient: { id: "modena-3" },
      encounter: { id: "enc-9" },
      user: { fhirUser: "Practitioner/dr-rossi" },
      state: { tokenResponse: { scope: "launch patient/DocumentReference.c" } },
    };
    expect(writeBackContext(client, { appUrl: APP_URL, appVersion: "0.1.0" })).toEqual({
      patientId: "modena-3",
      fhirUser: "Practitioner/dr-rossi",
      encounterId: "enc-9",
      appUrl: APP_URL,
      appVersion: "0.1.0",
    });
    expect(grantedScopesOf(client)).toBe("launch patient/DocumentReference.c");
  });
});

describe("per-item selection and where each item lands (issue 13)", () => {
  test("a deselected item is not sent; the note says it was deselected; the choice survives a reload", async () => {
    const user = userEvent.setup();
    const storage = memoryStorage();
    const fake = fakeEhr();
    const first = renderContainer({ client: fake.client, storage });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("checkbox", { name: /Secondary cause to review \[S-PTH\]/ }));
    expect(screen.getByRole("heading", { name: "Structured data to record (4 of 6 chosen)" })).toBeTruthy();
    expect(screen.getByTestId("writeback-note").textContent).toMatch(
      /NOT RECORDED AS STRUCTURED DATA \(stated here instead\)\n- Secondary cause to review \[S-PTH\]: PTH 86\.5 pg\/mL, above 65 pg\/mL\. Not written: Deselected by the clinician\./,
    );
    first.unmount(); // reload

    renderContainer({ client: fake.client, storage });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    expect((screen.getByRole("checkbox", { name: /\[S-PTH\]/ }) as HTMLInputElement).checked).toBe(false);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await screen.findByText(/^Written to the EHR: 6 created\.$/);
    const bundle = fake.writes()[0].body as Bundle;
    const codes = bundle.entry!.map(
      (e) => (e.resource as { code?: { coding?: { code?: string }[] } }).code?.coding?.[0]?.code ?? e.resource!.resourceType,
    );
    expect(codes).not.toContain("S-PTH");
    expect(codes).toContain("PC-SIZE");
  });

  test("full screen below 600 px (an EHR side panel), a dialog above", async () => {
    const user = userEvent.setup();
    const original = window.matchMedia;
    const narrow = (query: string) => ({ ...original(query), matches: /max-width/.test(query) });
    try {
      window.matchMedia = narrow as typeof window.matchMedia;
      const small = renderContainer({ client: fakeEhr().client });
      await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
      expect((await screen.findByRole("dialog")).className).toMatch(/MuiDialog-paperFullScreen/);
      small.unmount();
    } finally {
      window.matchMedia = original;
    }
    renderContainer({ client: fakeEhr().client });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    expect((await screen.findByRole("dialog")).className).not.toMatch(/MuiDialog-paperFullScreen/);
  });
});

describe("an incomplete record (issue 10)", () => {
  test("structured write-back is off and the review says why in plain words; only the note is sent", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    renderContainer({ client: fake.client, assessment: withMissing(modena3(), [REPORTS_FAILED]) });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    const dialog = await screen.findByRole("dialog");
    expect(
      within(dialog).getByText(
        "Part of the record could not be loaded (Imaging and pathology reports), so nothing is recorded as structured data until it loads in full; the note says what was missing.",
      ),
    ).toBeTruthy();
    expect(within(dialog).queryByRole("checkbox")).toBeNull();
    expect(within(dialog).getByTestId("writeback-note").textContent).toContain("RECORD INCOMPLETE\n- The record could not be read in full");
    await user.click(within(dialog).getByRole("button", { name: "Confirm and send" }));
    await within(dialog).findByText(/^Written to the EHR: 2 created\.$/);
    expect((fake.writes()[0].body as Bundle).entry!.map((e) => e.resource!.resourceType)).toEqual(["DocumentReference", "Provenance"]);
  });
});

describe("session expiry during a send (issue 10)", () => {
  const expiredOnWrite = (call: Call) =>
    call.method === "POST"
      ? { status: 401, body: { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "login" }] } }
      : undefined;

  test("the container shows it itself, read-only, with a Relaunch link when the app can start one", async () => {
    const user = userEvent.setup();
    const storage = memoryStorage();
    const fake = fakeEhr(expiredOnWrite);
    const first = renderContainer({
      client: fake.client,
      storage,
      relaunchHref: "https://app.example/launch.html?iss=https%3A%2F%2Fehr.test%2Ffhir",
    });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    const dialog = await screen.findByRole("dialog", { name: "Write-back result" });
    await within(dialog).findByText(/^Your session with the EHR expired\. 7 not sent yet\./);
    expect(within(dialog).queryByRole("button", { name: "Retry" })).toBeNull();
    expect(within(dialog).getByRole("link", { name: "Relaunch" }).getAttribute("href")).toBe(
      "https://app.example/launch.html?iss=https%3A%2F%2Fehr.test%2Ffhir",
    );
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const banner = screen.getByRole("alert");
    expect(within(banner).getByText("Session expired: relaunch from the EHR")).toBeTruthy();
    expect(banner.textContent).toContain("The record stays on screen as it was loaded, read-only");
    expect(within(banner).getByRole("link", { name: "Relaunch" })).toBeTruthy();
    first.unmount();

    // Relaunched (same tab, fresh assessment): the notice says exactly what the EHR holds.
    renderContainer({ client: fakeEhr().client, storage });
    expect(
      screen.getByText(
        "Nothing from these findings was written to the EHR yet: 7 were not sent. Sending again is safe: it never makes a copy.",
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/Part of these findings/)).toBeNull();
  });

  test("where only the EHR can relaunch (EHR launch), it says so instead of offering a link", async () => {
    const user = userEvent.setup();
    renderContainer({ client: fakeEhr(expiredOnWrite).client, relaunchHref: null });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await screen.findByRole("dialog", { name: "Write-back result" });
    await user.click(screen.getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const banner = screen.getByRole("alert");
    expect(banner.textContent).toContain(
      "Open the patient's chart in the EHR and launch the app from there: only the EHR can start that launch.",
    );
    expect(within(banner).queryByRole("link")).toBeNull();
  });
});

describe("already sent (relaunch with the app's note in the record)", () => {
  test("'already sent on <date> by <user>' when the EHR holds the note for this finding", () => {
    const identifier = noteIdentifier(modena3(), APP_URL);
    const note: Resource = {
      resourceType: "DocumentReference",
      id: "doc-1",
      status: "current",
      identifier: [identifier],
      date: "2026-11-20T12:00:00Z",
      author: [{ reference: "Practitioner/dr-bianchi" }],
      content: [{ attachment: { contentType: "text/plain" } }],
    } as Resource;
    const { unmount } = renderContainer({ client: fakeEhr().client, resources: [note] });
    expect(
      screen.getByText(
        "These findings were already sent to the EHR on 2026-11-20 by Practitioner/dr-bianchi (the note is DocumentReference/doc-1). Sending again never makes a copy.",
      ),
    ).toBeTruthy();
    unmount();
    renderContainer({
      client: fakeEhr().client,
      resources: [{ ...note, identifier: [{ ...identifier, value: "0".repeat(64) }] } as Resource],
    });
    expect(screen.queryByText(/already sent/)).toBeNull();
  });
});

describe("a 500 after the EHR saved it, end to end against the msw fake EHR (issue 10)", () => {
  test("the result says 'may have been saved', never 'Nothing was written'", async () => {
    const user = userEvent.setup();
    const granted = "launch openid fhirUser patient/Patient.r patient/*.c";
    const ehr = createFakeEhr({ base: BASE, scopes: granted, transaction: false, conditionalCreate: true });
    server.use(...ehr.handlers);
    ehr.fault({ kind: "error-after-commit", type: "DetectedIssue", times: 2 });
    const client = createFhirClient({ serverUrl: BASE, patientId: "modena-3", scope: granted });
    renderContainer({ client, grantedScopes: granted, capabilities: fullCapabilities({ transaction: false }) });
    await user.click(screen.getByRole("button", { name: "Send to EHR…" }));
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    const dialog = await screen.findByRole("dialog", { name: "Write-back result" });
    const headline = await within(dialog).findByText(/^The EHR did not confirm what was sent: 1 may have been saved/);
    expect(headline.textContent).not.toMatch(/Nothing was written/);
    const maybe = within(dialog).getByRole("heading", { name: "May have been saved (1)" }).closest("section")!;
    expect(maybe.textContent).toMatch(/HTTP 500: Internal error after saving\) after receiving it: it may have been saved/);
    expect((await ehr.counts()).DetectedIssue).toBe(1);
    expect(within(dialog).getByRole("button", { name: "Retry" })).toBeTruthy();
  });
});
