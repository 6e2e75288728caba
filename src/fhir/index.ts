/**
 * src/fhir: talks to the EHR. The app calls `loadPatientRecord` once per launch and assesses each
 * snapshot; write-back reads `snapshot.capabilities` (or calls `readCapabilities`).
 */
export { loadPatientRecord, startRecordLoad, DEFAULT_ATTEMPT_TIMEOUT_MS, type LoadOptions, type RecordLoad } from "./loader";
export { readCapabilities, summarizeCapabilities } from "./capabilities";
export { SessionExpiredError } from "./errors";
export { RequestFailedError } from "./failures";
export { fhirFetch, underFhirBase, type SmartClient } from "./transport";
export {
  parseQuirks,
  resolveQuirks,
  QUIRK_DEFAULTS,
  DEFAULT_MAX_PAGES,
  DEFAULT_PAGE_SIZE,
  type EhrQuirks,
  type ResolvedQuirks,
} from "./quirks";
export { DEFAULT_RETRY_POLICY, type RetryPolicy, type Sleep } from "./retry";
export {
  buildSearchPlan,
  observationParts,
  REPORT_CATEGORIES,
  type SearchSpec,
  type ObservationCodeGroup,
  type ObservationSplit,
} from "./searchPlan";
export type { CapabilitySummary, LoadFailure, LoadFailureKind, LoadSnapshot, LoadStats, SearchProgress } from "./types";
