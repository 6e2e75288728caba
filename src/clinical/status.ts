/** The status of clinical-spec.md §2. Precedence: documented > probable > possible > no-evidence; not-applicable without SSc. */
import type { AssessmentStatus } from "./types";

export function statusOf(sscPresent: boolean, e: { pcDoc: boolean; pcSize: boolean; pcCalc: boolean; pcImg: boolean }): AssessmentStatus {
  if (!sscPresent) return "not-applicable";
  if (e.pcDoc) return "documented";
  if (e.pcSize) return "probable";
  if (e.pcCalc || e.pcImg) return "possible";
  return "no-evidence";
}

/** Statuses in which calcinosis is suspected (lab gaps, G-SPINE apply). */
export function suspectsCalcinosis(s: AssessmentStatus): boolean {
  return s === "possible" || s === "probable" || s === "documented";
}
