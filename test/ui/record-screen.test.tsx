import { describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ThemeProvider } from "@mui/material/styles";
import type Client from "fhirclient/lib/Client";
import { assess } from "../../src/clinical";
import type { LoadSnapshot, SearchProgress } from "../../src/fhir/types";
import { RecordScreen, type RecordScreenProps } from "../../src/ui/record/RecordScreen";
import { themeFromSmartStyle } from "../../src/ui/theme";
import { demoPatient } from "../../sandbox/data";
import { AS_OF, SPEC_LABELS, seriousViolations } from "./fixtures";

type Start = NonNullable<NonNullable<RecordScreenProps["testHooks"]>["start"]>;
type OnSnapshot = (s: LoadSnapshot) => void;

/** A loader under the test's control: it emits the snapshots the test gives it. */
function controlledLoader() {
  let emit: OnSnapshot = () => {};
  let resolve: (s: LoadSnapshot) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const calls: unknown[] = [];
  const retried: (readonly string[] | undefined)[] = [];
  const pending = () =>
    new Promise<LoadSnapshot>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  const load = vi.fn(((_client, options, onSnapshot) => {
    calls.push(options);
    emit = onSnapshot ?? (() => {});
    return {
      finished: pending(),
      retry: (keys?: readonly string[]) => {
        retried.push(keys);
        return pending();
      },
    };
  }) as Start);
  return {
    load,
    retried,
    emit: (s: LoadSnapshot) => act(() => emit(s)),
    finish: (s: LoadSnapshot) => act(async () => resolve(s)),
    fail: (e: unknown) => act(async () => reject(e)),
  };
}

const PID = "modena-3";
const all = demoPatient(PID)!.resources;
const ofType = (t: string) => all.filter((r) => r.resourceType === t);

const SEARCHES: Pick<SearchProgress, "key" | "resourceType" | "label">[] = [
  { key: "Patient", resourceType: "Patient", label: "Patient" },
  { key: "Condition", resourceType: "Condition", label: "Conditions" },
  { key: "Observation", resourceType: "Observation", label: "Labs" },
  { key: "ImagingStudy", resourceType: "ImagingStudy", label: "Imaging studies" },
  { key: "DiagnosticReport", resourceType: "DiagnosticReport", label: "Imaging reports" },
];

/** The snapshot after the given searches finished (in SEARCHES order), the others still loading. */
function snap(doneTypes: string[], complete = false): LoadSnapshot {
  const resources = all.filter((r) => doneTypes.includes(r.resourceType));
  return {
    patientId: PID,
    resources,
    progress: SEARCHES.map((s) => ({
      ...s,
      state: doneTypes.includes(s.resourceType) ? "done" : "loading",
      resources: doneTypes.includes(s.resourceType) ? ofType(s.resourceType).length : 0,
      pages: doneTypes.includes(s.resourceType) ? 1 : 0,
    })),
    complete,
    strays: [],
    unavailable: [],
    attachments: [],
  };
}

function fakeClient(patientId = PID) {
  const request = vi.fn(() => Promise.reject(new Error("the UI must not query FHIR itself")));
  return {
    client: { patient: { id: patientId }, state: { serverUrl: "https://ehr.example/fhir" }, request } as unknown as Client,
    request,
  };
}

function renderScreen(props: Partial<RecordScreenProps> & Pick<RecordScreenProps, "client">) {
  return render(
    <ThemeProvider theme={themeFromSmartStyle()}>
      <RecordScreen asOf={AS_OF} needPatientBanner onSessionExpired={() => {}} {...props} />
    </ThemeProvider>,
  );
}

describe("RecordScreen", { timeout: 60_000 }, () => {
  it("fills in as pages arrive: progress, banner, provisional status, then the final assessment", async () => {
    const loader = controlledLoader();
    const { client, request } = fakeClient();
    const { container } = renderScreen({ client, testHooks: { start: loader.load, throttleMs: 0, adaptive: false } });

    loader.emit(snap([]));
    expect(await screen.findByText("Loading patient details…")).toBeTruthy();
    expect(screen.getByText("Assessing the record…")).toBeTruthy();
    expect((await screen.findAllByTestId("search-progress")).map((r) => r.getAttribute("data-state"))).toEqual([
      "loading",
      "loading",
      "loading",
      "loading",
      "loading",
    ]);
    expect(screen.getByTestId("findings-skeleton")).toBeTruthy();
    expect(await seriousViolations(container)).toEqual([]);

    loader.emit(snap(["Patient"]));
    expect(await screen.findByTestId("patient-name")).toBeTruthy();
    // No status before the diagnoses are in: a "no SSc" headline now would be wrong.
    expect(screen.queryByTestId("status-label")).toBeNull();

    loader.emit(snap(["Patient", "Condition"]));
    const label = await screen.findByTestId("status-label");
    expect(screen.getByTestId("provisional").textContent).toMatch(/provisional/i);
    expect(label.textContent).not.toBe(SPEC_LABELS["not-applicable"]);

    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    await waitFor(() => expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.probable));
    expect(screen.queryByTestId("provisional")).toBeNull();
    expect(screen.getByTestId("load-strip").textContent).toContain("All 5 searches finished");
    expect(screen.getAllByTestId("secondary-cause").some((e) => e.textContent?.includes("S-PTH"))).toBe(true);
    expect(request).not.toHaveBeenCalled();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("assesses at most once per throttle window however many pages arrive, and always on the last", async () => {
    const loader = controlledLoader();
    const assessFn = vi.fn(assess as never) as unknown as NonNullable<RecordScreenProps["testHooks"]>["assessFn"];
    const { client } = fakeClient();
    renderScreen({ client, testHooks: { start: loader.load, assessFn, throttleMs: 10_000, adaptive: false } });
    for (let i = 0; i < 40; i++) loader.emit(snap(["Patient", "Condition", "Observation"]));
    await screen.findByTestId("status-label");
    expect(assessFn).toHaveBeenCalledTimes(1); // the leading call; the rest wait for the window
    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    await waitFor(() => expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.probable));
    expect(assessFn).toHaveBeenCalledTimes(2);
  });

  it("starts the load once, and assesses the complete record once though the loader hands it over twice", async () => {
    const loader = controlledLoader();
    const assessFn = vi.fn(assess as never) as unknown as NonNullable<RecordScreenProps["testHooks"]>["assessFn"];
    const { client } = fakeClient();
    renderScreen({ client, testHooks: { start: loader.load, assessFn, throttleMs: 0, adaptive: false } });
    loader.emit(snap(["Patient", "Condition"]));
    await screen.findByTestId("status-label");
    const complete = snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true);
    loader.emit(complete);
    await waitFor(() => expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.probable));
    const calls = (assessFn as unknown as { mock: { calls: unknown[] } }).mock.calls.length;
    // `finished`: the same record (the very lists, as the loader keeps them), now with the capabilities.
    await loader.finish({ ...complete, capabilities: null });
    await waitFor(() => expect(screen.getByRole("main").getAttribute("aria-busy")).toBe("false"));
    expect(assessFn).toHaveBeenCalledTimes(calls);
    expect(loader.load).toHaveBeenCalledTimes(1);
  });

  it("hands a 401 to the shell as session expiry", async () => {
    const loader = controlledLoader();
    const onSessionExpired = vi.fn();
    const { client } = fakeClient();
    renderScreen({ client, onSessionExpired, testHooks: { start: loader.load } });
    loader.emit(snap(["Patient"]));
    const err = new Error("expired");
    err.name = "SessionExpiredError";
    await loader.fail(err);
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
  });

  it("shows a load failure with a retry that loads again", async () => {
    const loader = controlledLoader();
    const { client } = fakeClient();
    const user = userEvent.setup();
    renderScreen({ client, testHooks: { start: loader.load } });
    await loader.fail(new Error("No patient in context: the launch did not select a patient."));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("No patient in context");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(loader.load).toHaveBeenCalledTimes(2));
  });

  it("reports a record of another patient than the launch patient", async () => {
    const loader = controlledLoader();
    const onPatientMismatch = vi.fn();
    const { client } = fakeClient();
    renderScreen({ client, onPatientMismatch, testHooks: { start: loader.load } });
    await loader.finish({ ...snap(["Condition"], true), strays: ["Patient/someone-else"] });
    await waitFor(() => expect(onPatientMismatch).toHaveBeenCalledWith("someone-else"));
  });

  it("hides the banner when the launch says need_patient_banner: false", async () => {
    const loader = controlledLoader();
    const { client } = fakeClient();
    renderScreen({ client, needPatientBanner: false, testHooks: { start: loader.load } });
    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    await screen.findByTestId("status-label");
    expect(screen.queryByTestId("patient-banner")).toBeNull();
  });

  it("offers the write-back slot only once loading is complete, with the final assessment", async () => {
    const loader = controlledLoader();
    const { client } = fakeClient();
    const slot = vi.fn((a: { status: string }) => <button type="button">Review write-back ({a.status})</button>);
    renderScreen({ client, writeBackSlot: slot as never, testHooks: { start: loader.load, throttleMs: 0, adaptive: false } });
    loader.emit(snap(["Patient", "Condition"]));
    await screen.findByTestId("status-label");
    expect(screen.queryByRole("button", { name: /review write-back/i })).toBeNull();
    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    expect(await screen.findByRole("button", { name: "Review write-back (probable)" })).toBeTruthy();
  });

  it("keeps what was loaded on screen, read-only, when the session ends during loading", async () => {
    const loader = controlledLoader();
    const onSessionExpired = vi.fn();
    const { client } = fakeClient();
    const slot = vi.fn(() => <button type="button">Review write-back</button>);
    renderScreen({
      client,
      onSessionExpired,
      writeBackSlot: slot as never,
      testHooks: { start: loader.load, throttleMs: 0, adaptive: false },
    });
    const partial = failedSnap("DiagnosticReport", "session-expired");
    const err = Object.assign(new Error("expired"), { name: "SessionExpiredError", snapshot: partial });
    await loader.fail(err);
    expect(await screen.findByTestId("load-session-expired")).toBeTruthy();
    expect(screen.getByTestId("status-label").getAttribute("data-status")).toBe("indeterminate");
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(screen.queryByRole("button", { name: /review write-back/i })).toBeNull();
    // The session is gone: nothing to retry.
    expect(screen.queryByRole("button", { name: /^Retry/ })).toBeNull();
  });

  it("lists a failed search once, with the rules it leaves unknown, and retries only that search", async () => {
    const loader = controlledLoader();
    const { client } = fakeClient();
    const user = userEvent.setup();
    renderScreen({ client, testHooks: { start: loader.load, throttleMs: 0, adaptive: false } });
    await loader.finish(failedSnap("DiagnosticReport", "http"));
    const problems = await screen.findAllByTestId("load-problem");
    expect(problems).toHaveLength(1);
    expect(problems[0]!.textContent).toContain("Imaging reports: could not be loaded");
    expect(problems[0]!.querySelector('[data-rule="PC-SIZE"]')).not.toBeNull();
    await user.click(within(problems[0]!).getByRole("button", { name: "Retry Imaging reports" }));
    expect(loader.retried).toEqual([["DiagnosticReport"]]);
  });
});

/** Everything loaded except one search, which failed (an HTTP error, or the session's end). */
function failedSnap(type: string, kind: "http" | "session-expired"): LoadSnapshot {
  const s = snap(
    SEARCHES.map((x) => x.resourceType).filter((t) => t !== type),
    true,
  );
  const message = kind === "http" ? "The EHR answered 500 Internal Server Error." : "Your session with the EHR has expired.";
  return {
    ...s,
    progress: s.progress.map((p) =>
      p.resourceType === type
        ? { ...p, state: "failed", failure: { kind, ...(kind === "http" ? { httpStatus: 500 } : { httpStatus: 401 }), message } }
        : p,
    ),
    unavailable: [{ resourceType: type as "DiagnosticReport", reason: "failed", label: "Imaging reports", message }],
  } as LoadSnapshot;
}
