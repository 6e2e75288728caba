import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { assess } from "../../clinical";
import type { Assessment, AssessOptions, UnavailableData } from "../../clinical/types";
import { loadPatientRecord, type LoadOptions } from "../../fhir";
import type { LoadSnapshot, SearchProgress } from "../../fhir/types";
import { indexResources, refOf, type FhirResource } from "../fhirDisplay";

type Client = Parameters<typeof loadPatientRecord>[0];
type AssessFn = (resources: FhirResource[], options: AssessOptions) => Assessment;

export interface RecordState {
  snapshot: LoadSnapshot;
  assessment: Assessment | null;
  resourcesById: Map<string, FhirResource>;
  patient?: FhirResource;
  /** The engine threw on the data so far (shown, the previous assessment is kept). */
  assessError: string | null;
  /** The load failed as a whole (not a single search): shown with a retry. */
  loadError: string | null;
  retry(): void;
}

export const EMPTY_SNAPSHOT: LoadSnapshot = {
  patientId: "",
  resources: [],
  progress: [],
  complete: false,
  strays: [],
  unavailable: [],
  attachments: [],
};

const FINISHED: SearchProgress["state"][] = ["done", "failed", "truncated"];

/**
 * Whether the snapshot can be assessed without showing a misleading status: the diagnoses
 * (Condition searches, which decide E1 and PC-DOC) must have finished first. Before that the
 * headline keeps its skeleton.
 */
export function readyToAssess(s: LoadSnapshot): boolean {
  if (s.complete) return true;
  const cond = s.progress.filter((p) => p.resourceType === "Condition");
  return cond.length > 0 && cond.every((p) => FINISHED.includes(p.state));
}

/**
 * What the engine is told is unavailable: the loader's list, plus, while loading, every search
 * still under way, so the engine reports "not evaluated yet" rather than a gap that the next
 * page would close.
 */
export function unavailableFor(s: LoadSnapshot): UnavailableData[] {
  const out = [...s.unavailable];
  if (!s.complete) {
    for (const p of s.progress) {
      if (FINISHED.includes(p.state)) continue;
      out.push({
        resourceType: p.resourceType,
        reason: "pending",
        ...(p.group ? { group: p.group } : {}),
        message: `${p.label}: still loading`,
      });
    }
  }
  return out;
}

export interface UseRecordOptions {
  asOf: string;
  onSessionExpired(): void;
  loadOptions?: Omit<LoadOptions, "signal">;
  /** Minimum milliseconds between two assessments while pages arrive. Default 100. */
  throttleMs?: number;
  /** Stretch the interval to twice the cost of the last update (default true; tests turn it off). */
  adaptive?: boolean;
  /** Injectable for tests; defaults to the real engine and loader. */
  assessFn?: AssessFn;
  load?: typeof loadPatientRecord;
}

/**
 * Loads the record through src/fhir and assesses each snapshot, at most once per `throttleMs`
 * (leading and trailing), and always once more on the final snapshot. The UI itself makes no FHIR
 * queries.
 */
export function useRecord(client: Client, options: UseRecordOptions): RecordState {
  const { asOf, throttleMs = 100, adaptive = true } = options;
  const assessFn = options.assessFn ?? (assess as unknown as AssessFn);
  const load = options.load ?? loadPatientRecord;
  const onExpiredRef = useRef(options.onSessionExpired);
  onExpiredRef.current = options.onSessionExpired;
  const loadOptionsRef = useRef(options.loadOptions);
  loadOptionsRef.current = options.loadOptions;

  const [attempt, setAttempt] = useState(0);
  // How long the last update took, from the start of the assessment to the commit of its render.
  const workStart = useRef<number | null>(null);
  const lastWorkMs = useRef(0);
  const [state, setState] = useState<{
    snapshot: LoadSnapshot;
    assessment: Assessment | null;
    assessError: string | null;
    loadError: string | null;
  }>({ snapshot: EMPTY_SNAPSHOT, assessment: null, assessError: null, loadError: null });

  useEffect(() => {
    const controller = new AbortController();
    let latest: LoadSnapshot | null = null;
    let flushed: LoadSnapshot | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastRun = -Infinity;

    const flush = () => {
      timer = null;
      const s = latest;
      if (!s || s === flushed || controller.signal.aborted) return;
      flushed = s;
      lastRun = Date.now();
      workStart.current = performance.now();
      let assessment: Assessment | null = null;
      let assessError: string | null = null;
      if (readyToAssess(s)) {
        try {
          assessment = assessFn(s.resources as unknown as FhirResource[], {
            asOf,
            patientId: s.patientId || undefined,
            unavailable: unavailableFor(s),
            attachments: s.attachments,
            attachmentsPending: !!s.documents && s.documents.settled < s.documents.total,
          });
        } catch (e) {
          assessError = `The assessment could not be computed from the data received (${e instanceof Error ? e.message : String(e)}).`;
        }
      }
      setState((prev) => ({
        snapshot: s,
        assessment: assessment ?? (assessError ? prev.assessment : null),
        assessError,
        loadError: null,
      }));
    };

    const onSnapshot = (s: LoadSnapshot) => {
      if (controller.signal.aborted) return;
      latest = s;
      if (s.complete) {
        if (timer) clearTimeout(timer);
        flush();
        return;
      }
      if (timer) return;
      // Adaptive: leave the main thread at least twice the time the last update took (assessment
      // plus render), so a large record keeps loading at full speed while the screen fills in.
      const interval = adaptive ? Math.max(throttleMs, 2 * lastWorkMs.current) : throttleMs;
      timer = setTimeout(flush, Math.max(0, interval - (Date.now() - lastRun)));
    };

    setState({ snapshot: EMPTY_SNAPSHOT, assessment: null, assessError: null, loadError: null });
    load(client, { ...loadOptionsRef.current, signal: controller.signal }, onSnapshot).then(
      (final) => {
        if (controller.signal.aborted) return;
        latest = { ...final, complete: true };
        if (timer) clearTimeout(timer);
        flush();
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (timer) clearTimeout(timer);
        if (error instanceof Error && error.name === "SessionExpiredError") {
          onExpiredRef.current();
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        setState((prev) => ({ ...prev, loadError: message }));
      },
    );
    return () => {
      controller.abort(new DOMException("The record screen was closed.", "AbortError"));
      if (timer) clearTimeout(timer);
    };
  }, [client, asOf, throttleMs, adaptive, assessFn, load, attempt]);

  useEffect(() => {
    if (workStart.current !== null) {
      lastWorkMs.current = performance.now() - workStart.current;
      workStart.current = null;
    }
  }, [state]);

  const resourcesById = useMemo(() => indexResources(state.snapshot.resources as unknown as FhirResource[]), [state.snapshot]);
  const patient = useMemo(() => {
    const id = state.snapshot.patientId;
    if (id) {
      const p = resourcesById.get(refOf({ resourceType: "Patient", id }));
      if (p) return p;
    }
    return (state.snapshot.resources as unknown as FhirResource[]).find((r) => r.resourceType === "Patient");
  }, [resourcesById, state.snapshot]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { ...state, resourcesById, patient, retry };
}
