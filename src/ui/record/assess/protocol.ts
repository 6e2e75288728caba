import type { Assessment, AssessOptions } from "../../../clinical/types";

/** Main thread → worker: the resources added since the last request, and the options. */
export interface AssessRequest {
  id: number;
  /** Start from an empty record (the first request, or a snapshot that is not an extension). */
  reset: boolean;
  added: unknown[];
  options: AssessOptions;
}

/** Worker → main thread: the assessment, or the engine's error message. */
export type AssessResponse = { id: number; assessment: Assessment } | { id: number; error: string };
