import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { assess } from "../../clinical";
import type { Assessment, AssessOptions, UnavailableData } from "../../clinical/types";
import { startRecordLoad, type LoadOptions } from "../../fhir";
import type { LoadSnapshot, SearchProgress } from "../../fhir/types";
import { type FhirResource, indexResources, refOf } from "../evidence/fhirText";

type Client = Parameters<typeof startRecordLoad>[0];
/** The engine, answering at once (main thread) or later (a worker, see assess/assessClient.ts). */
type AssessFn = (resources: FhirResource[], options: AssessOptions) => Assessment | Promise<Assessment>;

export interface RecordState {
  snapshot: LoadSnapshot;
  assessment: Assessment | null;
  resourcesById: Map<string, FhirResource>;
  patient?: FhirResource;
  /** The engine threw on the data so far (shown, the previous assessment is kept). */
  assessError: string | null;
  /** The load failed as a whole (not a single search): shown with a retry. */
  loadError: string | null;
  /**
   * The session ended while loading: what was loaded stays on screen, read-only (the snapshot is
   * final, its open searches marked as ended by the expiry).
   */
  sessionExpired: boolean;
  /** Loads the whole record again. */
  retry(): void;
  /** Runs these failed or cut-short searches again (by SearchProgress.key), keeping the rest. */
  retrySearches(keys: readonly string[]): void;
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
 * Between two updates while loading, at least this many times the last update's cost. At 2 the
 * screen took half of the main thread on `large` and slowed its loading (the browser bench, issue
 * 13); at 8 it fills in a few times a second on a large record and at every page on a small one.
 */
const WORK_SHARE = 8;

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

/** What the engine is given from a snapshot (besides the as-of date, fixed for a load). */
interface AssessInput {
  resources: LoadSnapshot["resources"];
  attachments: LoadSnapshot["attachments"];
  patientId: string;
  unavailable: UnavailableData[];
  attachmentsPending: boolean;
}

function assessInput(s: LoadSnapshot): AssessInput {
  return {
    resources: s.resources,
    attachments: s.attachments,
    patientId: s.patientId,
    unavailable: unavailableFor(s),
    attachmentsPending: !!s.documents && s.documents.settled < s.documents.total,
  };
}

/** The loader keeps the resource and attachment lists (same arrays) while nothing is added to them. */
function sameInput(a: AssessInput, b: AssessInput): boolean {
  return (
    a.resources === b.resources &&
    a.attachments === b.attachments &&
    a.patientId === b.patientId &&
    a.attachmentsPending === b.attachmentsPending &&
    JSON.stringify(a.unavailable) === JSON.stringify(b.unavailable)
  );
}

export interface UseRecordOptions {
  asOf: string;
  onSessionExpired(): void;
  loadOptions?: Omit<LoadOptions, "signal">;
  /** Minimum milliseconds between two assessments while pages arrive. Default 100. */
  throttleMs?: number;
  /** Stretch the interval to WORK_SHARE times the cost of the last update (default true; tests turn it off). */
  adaptive?: boolean;
  /** Injectable for tests; defaults to the real engine and loader. */
  assessFn?: AssessFn;
  start?: typeof startRecordLoad;
}

interface ScreenState {
  snapshot: LoadSnapshot;
  assessment: Assessment | null;
  assessError: string | null;
  loadError: string | null;
  sessionExpired: boolean;
}

const INITIAL: ScreenState = { snapshot: EMPTY_SNAPSHOT, assessment: null, assessError: null, loadError: null, sessionExpired: false };

function isSessionExpiry(error: unknown): error is Error & { snapshot?: LoadSnapshot } {
  return error instanceof Error && error.name === "SessionExpiredError";
}

/**
 * Loads the record through src/fhir and assesses each snapshot, at most once per `throttleMs`
 * (leading and trailing), and always once more on the final snapshot. The UI itself makes no FHIR
 * queries.
 */
export function useRecord(client: Client, options: UseRecordOptions): RecordState {
  const { asOf, throttleMs = 100, adaptive = true } = options;
  const assessFn = options.assessFn ?? (assess as unknown as AssessFn);
  const start = options.start ?? startRecordLoad;
  const onExpiredRef = useRef(options.onSessionExpired);
  onExpiredRef.current = options.onSessionExpired;
  const loadOptionsRef = useRef(options.loadOptions);
  loadOptionsRef.current = options.loadOptions;

  const [attempt, setAttempt] = useState(0);
  // How long the last update took, from the start of the assessment to the commit of its render.
  const workStart = useRef<number | null>(null);
  const lastWorkMs = useRef(0);
  const [state, setState] = useState<ScreenState>(INITIAL);
  const retrySearchesRef = useRef<(keys: readonly string[]) => void>(() => {});

  useEffect(() => {
    const controller = new AbortController();
    let latest: LoadSnapshot | null = null;
    let flushed: LoadSnapshot | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastRun = -Infinity;
    let assessed = false;
    // The engine's last input and answer: a snapshot that moves only progress (a search started,
    // the final snapshot after the complete one) is shown with that answer, not assessed again.
    let lastInput: AssessInput | null = null;
    let lastResult: Assessment | Promise<Assessment> | null = null;

    const flush = () => {
      timer = null;
      const s = latest;
      if (!s || s === flushed || controller.signal.aborted) return;
      flushed = s;
      lastRun = Date.now();
      workStart.current = performance.now();
      const show = (assessment: Assessment | null, assessError: string | null) =>
        startTransition(() =>
          setState((prev) => ({
            ...prev,
            snapshot: s,
            assessment: assessment ?? (assessError ? prev.assessment : null),
            assessError,
            loadError: null,
          })),
        );
      const failed = (e: unknown) =>
        `The assessment could not be computed from the data received (${e instanceof Error ? e.message : String(e)}).`;
      if (!readyToAssess(s)) return show(null, null);
      assessed = true;
      const input = assessInput(s);
      let result: Assessment | Promise<Assessment>;
      if (lastResult && lastInput && sameInput(lastInput, input)) result = lastResult;
      else {
        try {
          result = assessFn(s.resources as unknown as FhirResource[], {
            asOf,
            patientId: s.patientId || undefined,
            unavailable: input.unavailable,
            attachments: s.attachments,
            attachmentsPending: input.attachmentsPending,
          });
        } catch (e) {
          lastInput = lastResult = null;
          return show(null, failed(e));
        }
        lastInput = input;
        lastResult = result;
      }
      // A worker answers later, in order; the snapshot is shown with its own assessment.
      if (result instanceof Promise) {
        result.then(
          (a) => controller.signal.aborted || show(a, null),
          (e: unknown) => controller.signal.aborted || show(null, failed(e)),
        );
      } else show(result, null);
    };

    const onSnapshot = (s: LoadSnapshot) => {
      if (controller.signal.aborted) return;
      latest = s;
      // The first assessable snapshot and the complete one are shown at once; those between wait.
      if (s.complete || (!assessed && readyToAssess(s))) {
        if (timer) clearTimeout(timer);
        flush();
        return;
      }
      if (timer) return;
      // Adaptive: updates take at most 1/WORK_SHARE of the time (the last one's cost: assessment
      // plus render), so a large record keeps loading at nearly full speed while the screen fills in.
      const interval = adaptive ? Math.max(throttleMs, WORK_SHARE * lastWorkMs.current) : throttleMs;
      timer = setTimeout(flush, Math.max(0, interval - (Date.now() - lastRun)));
    };

    const onFinal = (final: LoadSnapshot) => {
      if (controller.signal.aborted) return;
      latest = { ...final, complete: true };
      if (timer) clearTimeout(timer);
      flush();
    };
    const onError = (error: unknown) => {
      if (controller.signal.aborted) return;
      if (timer) clearTimeout(timer);
      if (isSessionExpiry(error)) {
        // With what was loaded: keep it on screen, read-only. Without: the shell's expiry screen.
        if (!error.snapshot || error.snapshot.resources.length === 0) {
          onExpiredRef.current();
          return;
        }
        setState((prev) => ({ ...prev, sessionExpired: true }));
        onFinal(error.snapshot);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      setState((prev) => ({ ...prev, loadError: message }));
    };

    setState(INITIAL);
    let handle: ReturnType<typeof startRecordLoad>;
    try {
      handle = start(client, { ...loadOptionsRef.current, signal: controller.signal }, onSnapshot);
    } catch (error) {
      onError(error);
      return () => controller.abort();
    }
    handle.finished.then(onFinal, onError);
    retrySearchesRef.current = (keys) => {
      if (keys.length) handle.retry(keys).then(onFinal, onError);
    };
    return () => {
      controller.abort(new DOMException("The record screen was closed.", "AbortError"));
      if (timer) clearTimeout(timer);
    };
  }, [client, asOf, throttleMs, adaptive, assessFn, start, attempt]);

  useEffect(() => {
    if (workStart.current !== null) {
      lastWorkMs.current = performance.now() - workStart.current;
      workStart.current = null;
    }
  }, [state]);

  // Keyed on the resource list, which the loader hands over unchanged while only progress moves.
  const resources = state.snapshot.resources as unknown as FhirResource[];
  const patientId = state.snapshot.patientId;
  const resourcesById = useMemo(() => indexResources(resources), [resources]);
  const patient = useMemo(() => {
    if (patientId) {
      const p = resourcesById.get(refOf({ resourceType: "Patient", id: patientId }));
      if (p) return p;
    }
    return resources.find((r) => r.resourceType === "Patient");
  }, [resourcesById, resources, patientId]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const retrySearches = useCallback((keys: readonly string[]) => retrySearchesRef.current(keys), []);

  return { ...state, resourcesById, patient, retry, retrySearches };
}
