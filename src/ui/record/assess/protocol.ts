import type { AssessOptions } from "../../../clinical/types";
import type { AssessmentDelta } from "./share";

/** Main thread → worker: the resources added since the last request, and the options. */
export interface AssessRequest {
  id: number;
  /** Start from an empty record (the first request, or a snapshot that is not an extension). */
  reset: boolean;
  added: unknown[];
  options: AssessOptions;
}

/**
 * Worker → main thread: the assessment as a delta on the previous answer (share.ts; after a reset,
 * every part), or the engine's error message.
 */
export type AssessResponse = { id: number; delta: AssessmentDelta } | { id: number; error: string };
