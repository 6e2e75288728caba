import type { Assessment, MissingData, RuleId } from "../clinical/types";

/**
 * What the write-back may claim when part of the record was not read (issue 10, clinical-spec.md
 * §6 STATUS). The engine lists each missing search once (`missingData`, with the rules it leaves
 * unevaluated) and each rule it could not evaluate (`notEvaluated`); from those this module says,
 * per note section, which rules were not evaluated and why, so that no section states an absence
 * the app did not see, and whether structured (Tier B) write-back must be withheld.
 */

export type NoteSection = "ssc" | "lesions" | "findings" | "redFlags" | "secondaryCauses" | "workupGaps" | "riskFeatures";

const LESION_RULES: readonly string[] = ["PC-DOC", "PC-SIZE", "PC-CALC", "PC-IMG"];

/** The rules whose absence each section would otherwise state. */
const SECTION_RULES: Record<NoteSection, (ruleId: RuleId) => boolean> = {
  ssc: (id) => id === "E1",
  lesions: (id) => LESION_RULES.includes(id),
  findings: (id) => id.startsWith("PC-"),
  redFlags: (id) => id.startsWith("RF-"),
  secondaryCauses: (id) => id.startsWith("S-"),
  workupGaps: (id) => id.startsWith("G-"),
  riskFeatures: (id) => id.startsWith("R-"),
};

/** The missing searches; any one of them (failed, truncated or still loading) makes the picture incomplete. */
export function missingSearches(assessment: Assessment): MissingData[] {
  return (assessment.missingData ?? []).filter((m) => m.reason === "failed" || m.reason === "truncated" || m.reason === "pending");
}

export function recordIncomplete(assessment: Assessment): boolean {
  return assessment.status === "indeterminate" || missingSearches(assessment).length > 0;
}

/** "Imaging and pathology reports could not be loaded", "Labs: PTH … were only partly loaded". */
export function missingText(missing: MissingData): string {
  const what =
    missing.reason === "failed"
      ? "could not be loaded"
      : missing.reason === "truncated"
        ? "were only partly loaded"
        : "had not finished loading";
  return `${missing.label} ${what}`;
}

/** Why structured write-back is withheld, as a clause for the review and the note; null when it is not. */
export function structuredWithheldReason(assessment: Assessment): string | null {
  if (!recordIncomplete(assessment)) return null;
  const labels = [...new Set(missingSearches(assessment).map((m) => m.label))];
  const what = labels.length ? ` (${labels.join("; ")})` : "";
  return `part of the record could not be loaded${what}, so nothing is recorded as structured data until it loads in full; the note says what was missing`;
}

export interface SectionGap {
  /** Rules of the section that were not evaluated, sorted. */
  rules: RuleId[];
  /** Why, once each: the missing searches, then reasons of rules no missing search explains. */
  causes: string[];
}

/** Which rules of a note section were not evaluated, and why; null when the section is complete. */
export function sectionGap(assessment: Assessment, section: NoteSection): SectionGap | null {
  const inSection = SECTION_RULES[section];
  const missing = missingSearches(assessment);
  const rules = new Set<RuleId>();
  const causes: string[] = [];
  for (const m of missing) {
    const own = m.rules.filter(inSection);
    if (!own.length) continue;
    for (const id of own) rules.add(id);
    causes.push(missingText(m));
  }
  for (const item of assessment.notEvaluated ?? []) {
    if (!inSection(item.ruleId) || rules.has(item.ruleId)) continue;
    rules.add(item.ruleId);
    const reason = item.reason.trim().replace(/\.$/, "");
    if (!causes.includes(reason)) causes.push(reason);
  }
  return rules.size ? { rules: [...rules].sort(), causes } : null;
}

/** Rules not evaluated for a reason no missing search explains (e.g. no birth date): the NOT EVALUATED section. */
export function otherNotEvaluated(assessment: Assessment): { ruleId: RuleId; reason: string }[] {
  const explained = new Set(missingSearches(assessment).flatMap((m) => m.rules));
  return (assessment.notEvaluated ?? []).filter((item) => !explained.has(item.ruleId));
}
