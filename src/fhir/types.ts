import type { Resource } from "fhir/r4";
import type { AttachmentText, UnavailableData } from "../clinical/types";

/** Why one search stopped without (all of) its data. */
export type LoadFailureKind =
  | "forbidden" // 403: scope not granted or policy
  | "not-found" // 404: resource type not supported
  | "rate-limited" // 429 after bounded retries (or a Retry-After longer than the loader will wait)
  | "server-error" // 5xx after bounded retries
  | "network" // fetch failed (after bounded retries)
  | "timeout" // no answer within the time allowed per attempt (after bounded retries)
  | "outside-base" // a next link outside the FHIR base: not followed (the token stays with the EHR)
  | "malformed" // response was not FHIR JSON (or not the resource asked for)
  | "bad-request" // another 4xx (400, 405, 422…): the EHR refused the search as written
  | "session-expired"; // 401: the whole session ends

export interface LoadFailure {
  kind: LoadFailureKind;
  httpStatus?: number;
  /** Human text safe to show (never contains tokens or URLs). */
  message: string;
}

/** Progress of one search (one resource type, or one Observation analyte group). */
export interface SearchProgress {
  /** Stable key: "Condition", "Observation:<group>" or "Observation:<group>:<analyte>" (searchPlan.ts). */
  key: string;
  resourceType: UnavailableData["resourceType"];
  /** Human label: "Labs: calcium and phosphate", "Conditions". */
  label: string;
  /** Observation analyte group key (as in src/clinical/codes.ts), for Observation searches. */
  group?: string;
  state: "waiting" | "loading" | "done" | "failed" | "truncated";
  /** Resources of this search kept so far (after the patient check and de-duplication). */
  resources: number;
  pages: number;
  /** Bundle.total from the first page, when the server sends it (for a progress bar). */
  total?: number;
  /** HTTP requests made for this search, retries included. */
  requests?: number;
  /** Retries after 429/5xx/network errors. */
  retries?: number;
  /** Resources of another patient this search returned (dropped; listed in LoadSnapshot.strays). */
  strays?: number;
  failure?: LoadFailure;
  /** Why a search was truncated ("page cap of 50 reached", "next link loops"). */
  truncatedReason?: string;
  /** A deliberate limit the search stopped at (the documents cap): stated, not a failure. */
  limitNote?: string;
}

/** What later features (write-back) need from the CapabilityStatement; see capabilities.ts. */
export interface CapabilitySummary {
  fhirVersion: string | null;
  resources: Record<string, { interactions: string[]; conditionalCreate: boolean; searchParams?: string[] }>;
  /** The server accepts `transaction` Bundles. */
  transaction: boolean;
  /** The server accepts `batch` Bundles. */
  batch: boolean;
}

export interface LoadStats {
  /** HTTP requests made by the searches (retries included; the CapabilityStatement read excluded). */
  requests: number;
  retries: number;
  /** Requests of the longest dependent chain (one search's pages and retries): the critical path. */
  longestChain: number;
  /** Milliseconds since the load started. */
  elapsedMs: number;
}

/** What the loader has so far; emitted after every page. */
export interface LoadSnapshot {
  patientId: string;
  resources: Resource[];
  progress: SearchProgress[];
  /** True once every search has finished (done, failed or truncated). */
  complete: boolean;
  /** Resources the server returned that belong to another patient: dropped, reported. */
  strays: string[];
  /** For the engine: resource types that failed or were truncated. */
  unavailable: UnavailableData[];
  /** The text read from report and note attachments so far, for AssessOptions.attachments. */
  attachments: AttachmentText[];
  /** Reports and notes with attachments, and how many are read (absent when no reader is set). */
  documents?: { total: number; settled: number; fetches: number };
  /**
   * The server's capabilities, read in parallel with the searches: undefined while the read is
   * under way, null when it failed (write-back then falls back to the note only).
   */
  capabilities?: CapabilitySummary | null;
  stats?: LoadStats;
}
