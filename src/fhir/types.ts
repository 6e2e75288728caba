import type { Resource } from "fhir/r4";
import type { UnavailableData } from "../clinical/types";

/** Why one search stopped without (all of) its data. */
export type LoadFailureKind =
  | "forbidden" // 403: scope not granted or policy
  | "not-found" // 404: resource type not supported
  | "rate-limited" // 429 after bounded retries
  | "server-error" // 5xx after bounded retries
  | "network" // fetch failed
  | "malformed" // response was not FHIR JSON
  | "session-expired"; // 401: the whole session ends

export interface LoadFailure {
  kind: LoadFailureKind;
  httpStatus?: number;
  /** Human text safe to show (never contains tokens). */
  message: string;
}

/** Progress of one search (one resource type, or one Observation analyte group). */
export interface SearchProgress {
  /** Stable key, e.g. "Observation:calcium-phosphate" or "Condition". */
  key: string;
  resourceType: UnavailableData["resourceType"];
  /** Human label: "Labs: calcium and phosphate", "Conditions". */
  label: string;
  state: "waiting" | "loading" | "done" | "failed" | "truncated";
  resources: number;
  pages: number;
  failure?: LoadFailure;
  /** Why a search was truncated ("page cap of 50 reached", "next link loops"). */
  truncatedReason?: string;
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
}
