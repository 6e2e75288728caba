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
import { ALL_WRITE_V2, APP_URL, fullCapabilities, modena3 } from "../unit/writeback/fixtures";

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
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
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
    expect(within(dialog).getByText(/^Sent as one transaction/)).toBeTruthy();
    const written = within(dialog).getByRole("heading", { name: "Will be written (7)" }).closest("section")!;
    const items = within(written)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toEqual([
      expect.stringMatching(/^Detected issueFinding \[PC-SIZE\]/),
      expect.stringMatching(/^Detected issueSecondary cause to review \[S-PTH\]/),
      "Proposed orderProposed test (draft) [G-RENAL]: Serum creatinine (with eGFR)",
      "Proposed orderProposed test (draft) [G-ALB]: Serum albumin (for corrected calcium)",
      "Proposed orderProposed procedure (draft) [G-SPINE]: CT (or MRI) of the spine, targeted review",
      expect.stringMatching(/^NoteConsult note \(preliminary\)/),
      expect.stringMatching(/^ProvenanceProvenance: written by/),
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
    expect(screen.getByRole("heading", { name: "Will be written (8)" })).toBeTruthy();
    expect(screen.getByText("Provisional diagnosis: tumoral calcinosis (right back/chest wall)")).toBeTruthy();
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

  test("copy-only (no .c scope): no Confirm, the note is copied as text", async () => {
    const user = userEvent.setup();
    const fake = fakeEhr();
    const copyText = vi.fn(async (_text: string) => {});
    renderContainer({ client: fake.client, grantedScopes: "launch openid fhirUser patient/*.rs", copyText });
    await user.click(screen.getByRole("button", { name: "Copy note for the EHR…" }));
    const dialog = await screen.findByRole("dialog", { name: "Copy the findings into the EHR" });
    expect(
      within(dialog).getByText(/^Nothing can be written to this EHR: the app was not granted permission to create notes/),
    ).toBeTruthy();
    expect(within(dialog).queryByRole("button", { name: "Confirm and send" })).toBeNull();
    expect(within(dialog).getByRole("heading", { name: "Will not be written (7)" })).toBeTruthy();
    await user.click(within(dialog).getByRole("button", { name: "Copy note" }));
    expect(copyText).toHaveBeenCalledTimes(1);
    expect(copyText.mock.calls[0][0]).toBe(within(dialog).getByTestId("writeback-note").textContent);
    expect(await within(dialog).findByText("The note was copied. Paste it into the chart.")).toBeTruthy();
    expect(fake.calls).toEqual([]);
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
  test("writeBackContext and grantedScopesOf read a launched client", async () => {
    const { writeBackContext, grantedScopesOf } = await import("../../src/ui/writeback");
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
