/**
 * The status of clinical-spec.md §2 and §6 (STATUS). Precedence: documented > probable > possible;
 * then, where no calcinosis finding exists, indeterminate when the data that could show one was
 * not loaded, else no-evidence. Without SSc: indeterminate when the Conditions were not (fully)
 * loaded, else not-applicable.
 */
import type { Scope } from "./model";
import type { AssessmentStatus } from "./types";

/** The scopes whose absence leaves "no calcinosis" unproven (§6 STATUS): diagnoses, reports, lesion findings. */
export const EVIDENCE_SCOPES: readonly Scope[] = ["Condition", "DiagnosticReport", "DocumentReference", "Observation:lesions"];

export function statusOf(
  sscPresent: boolean,
  e: { pcDoc: boolean; pcSize: boolean; pcCalc: boolean; pcImg: boolean },
  unavailable: ReadonlySet<Scope>,
): AssessmentStatus {
  if (!sscPresent) return unavailable.has("Condition") ? "indeterminate" : "not-applicable";
  if (e.pcDoc) return "documented";
  if (e.pcSize) return "probable";
  if (e.pcCalc || e.pcImg) return "possible";
  if (EVIDENCE_SCOPES.some((s) => unavailable.has(s))) return "indeterminate";
  return "no-evidence";
}

/** Statuses in which calcinosis is suspected (lab gaps, G-SPINE apply). */
export function suspectsCalcinosis(s: AssessmentStatus): boolean {
  return s === "possible" || s === "probable" || s === "documented";
}
