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

type Load = NonNullable<NonNullable<RecordScreenProps["testHooks"]>["load"]>;
type OnSnapshot = (s: LoadSnapshot) => void;

/** A loader under the test's control: it emits the snapshots the test gives it. */
function controlledLoader() {
  let emit: OnSnapshot = () => {};
  let resolve: (s: LoadSnapshot) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const calls: unknown[] = [];
  const load = vi.fn(((_client, options, onSnapshot) => {
    calls.push(options);
    emit = onSnapshot ?? (() => {});
    return new Promise<LoadSnapshot>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  }) as Load);
  return {
    load,
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
    const { container } = renderScreen({ client, testHooks: { load: loader.load, throttleMs: 0, adaptive: false } });

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
    renderScreen({ client, testHooks: { load: loader.load, assessFn, throttleMs: 10_000, adaptive: false } });
    for (let i = 0; i < 40; i++) loader.emit(snap(["Patient", "Condition", "Observation"]));
    await screen.findByTestId("status-label");
    expect(assessFn).toHaveBeenCalledTimes(1); // the leading call; the rest wait for the window
    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    await waitFor(() => expect(screen.getByTestId("status-label").textContent).toBe(SPEC_LABELS.probable));
    expect(assessFn).toHaveBeenCalledTimes(2);
  });

  it("hands a 401 to the shell as session expiry", async () => {
    const loader = controlledLoader();
    const onSessionExpired = vi.fn();
    const { client } = fakeClient();
    renderScreen({ client, onSessionExpired, testHooks: { load: loader.load } });
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
    renderScreen({ client, testHooks: { load: loader.load } });
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
    renderScreen({ client, onPatientMismatch, testHooks: { load: loader.load } });
    await loader.finish({ ...snap(["Condition"], true), strays: ["Patient/someone-else"] });
    await waitFor(() => expect(onPatientMismatch).toHaveBeenCalledWith("someone-else"));
  });

  it("hides the banner when the launch says need_patient_banner: false", async () => {
    const loader = controlledLoader();
    const { client } = fakeClient();
    renderScreen({ client, needPatientBanner: false, testHooks: { load: loader.load } });
    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    await screen.findByTestId("status-label");
    expect(screen.queryByTestId("patient-banner")).toBeNull();
  });

  it("offers the write-back slot only once loading is complete, with the final assessment", async () => {
    const loader = controlledLoader();
    const { client } = fakeClient();
    const slot = vi.fn((a: { status: string }) => <button type="button">Review write-back ({a.status})</button>);
    renderScreen({ client, writeBackSlot: slot as never, testHooks: { load: loader.load, throttleMs: 0, adaptive: false } });
    loader.emit(snap(["Patient", "Condition"]));
    await screen.findByTestId("status-label");
    expect(screen.queryByRole("button", { name: /review write-back/i })).toBeNull();
    await loader.finish(snap(["Patient", "Condition", "Observation", "ImagingStudy", "DiagnosticReport"], true));
    expect(await screen.findByRole("button", { name: "Review write-back (probable)" })).toBeTruthy();
  });
});
