import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { EvidenceChips } from "../../src/ui/record/ruleChips";
import { indexResources } from "../../src/ui/evidence/fhirText";
import { seriousViolations } from "./fixtures";
import { renderUi } from "./render";

const obs = {
  resourceType: "Observation",
  id: "pth-1",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "2731-8" }], text: "PTH, intact" },
  valueQuantity: { value: 86.5, unit: "pg/mL" },
  referenceRange: [{ low: { value: 15, unit: "pg/mL" }, high: { value: 65, unit: "pg/mL" } }],
  effectiveDateTime: "2026-10-20T08:00:00Z",
  note: [{ text: "<b>haemolysed</b> <script>window.__pwned=1</script>" }],
};

describe("evidence viewer", () => {
  it("opens from a chip by keyboard, shows a readable summary and the raw JSON, and returns focus", async () => {
    const user = userEvent.setup();
    const { baseElement } = renderUi(<EvidenceChips refs={["Observation/pth-1"]} />, indexResources([obs]));
    const chip = screen.getByRole("button", { name: "Open evidence: Observation: PTH, intact · 86.5 pg/mL · 2026-10-20" });
    chip.focus();
    await user.keyboard("{Enter}");

    const dialog = await screen.findByRole("dialog", { name: /PTH, intact/ });
    const readable = within(dialog).getByRole("tabpanel");
    expect(readable.textContent).toContain("86.5 pg/mL");
    expect(readable.textContent).toContain("15 pg/mL – 65 pg/mL");
    expect(readable.textContent).toContain("2026-10-20");
    expect(readable.textContent).toContain("final");
    // The note's markup is shown as text, not interpreted.
    expect(readable.textContent).toContain("<b>haemolysed</b> <script>window.__pwned=1</script>");
    expect(dialog.querySelector("script, b")).toBeNull();

    await user.click(within(dialog).getByRole("tab", { name: "Raw JSON" }));
    const pre = within(dialog).getByTestId("evidence-json");
    expect(JSON.parse(pre.textContent ?? "")).toEqual(obs);
    expect(await seriousViolations(baseElement)).toEqual([]);

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.activeElement).toBe(chip);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("says so when the referenced resource was not loaded", async () => {
    const user = userEvent.setup();
    renderUi(<EvidenceChips refs={["ImagingStudy/missing"]} />);
    await user.click(screen.getByRole("button", { name: "Open evidence: ImagingStudy (not loaded)" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toContain("not among the data loaded");
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("shows a resource nested 5,000 levels deep without taking the screen down: deep levels are elided", async () => {
    const user = userEvent.setup();
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 5000; i++) deep = { extension: [deep] };
    const nested = { ...obs, id: "deep-1", extension: [deep] };
    renderUi(<EvidenceChips refs={["Observation/deep-1"]} />, indexResources([nested]));
    await user.click(screen.getByRole("button", { name: /Open evidence/ }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("tab", { name: "Raw JSON" }));
    const text = within(dialog).getByTestId("evidence-json").textContent ?? "";
    expect(text).toContain('"id": "deep-1"');
    expect(text).toMatch(/nested deeper than \d+ levels: not shown/);
    expect(text.length).toBeLessThan(300_000);
  });
});
