/** Sending a write-back plan (src/writeback) to the EHR. */
export { executeWriteBack } from "./execute";
export { itemOutcomes } from "./outcomes";
export { DEFAULT_TIMEOUT_MS, type CreatedItem, type ExecuteOptions, type PendingItem, type RefusedItem, type WriteResult } from "./types";
