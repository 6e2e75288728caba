/**
 * The one-sentence reason beside the status (headline, note, summary). It says what the status
 * rests on: the deciding finding; for "nothing found", how much was read; for "cannot be assessed",
 * what was not loaded and what to do. Never a bare absence.
 */
import { plural } from "./dataQuality";
import { EVIDENCE_SCOPES } from "./status";
import type { AssessmentStatus, Lesion, MissingData, RecordRead, RuleItem } from "./types";

/** The findings that decide each status, in the order they speak for it. */
const DECIDING: Partial<Record<AssessmentStatus, string[]>> = {
  documented: ["PC-DOC", "PC-SIZE", "PC-CALC", "PC-IMG"],
  probable: ["PC-SIZE", "PC-DOC", "PC-CALC", "PC-IMG"],
  possible: ["PC-CALC", "PC-IMG", "PC-SIZE", "PC-DOC"],
};

export interface ReasonInput {
  status: AssessmentStatus;
  findings: readonly RuleItem[];
  lesions: readonly Lesion[];
  read: RecordRead;
  missing: readonly MissingData[];
}

/** "12 conditions, 480 results, 6 reports and 30 notes read". */
export function readSummary(read: RecordRead): string {
  const parts = [
    plural(read.conditions, "condition"),
    plural(read.results, "result"),
    plural(read.reports, "report"),
    plural(read.documents, "note"),
  ];
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]} read`;
}

function missingList(missing: readonly MissingData[], scopes: readonly string[]): string {
  const labels = [...new Set(missing.filter((m) => m.scopes.some((s) => scopes.includes(s))).map((m) => m.label))];
  return labels.join(", ");
}

function whatToDo(missing: readonly MissingData[]): string {
  return missing.some((m) => m.reason === "pending")
    ? "Wait for the record to finish loading."
    : "Retry the failed searches, or review the chart directly.";
}

export function statusReason(input: ReasonInput): string {
  const { status, findings, lesions, read, missing } = input;
  if (status === "not-applicable") return `No active systemic sclerosis diagnosis in the ${plural(read.conditions, "condition")} read.`;
  if (status === "indeterminate") {
    const conditionsOnly = !findings.length && missing.some((m) => m.scopes.includes("Condition"));
    const what = missingList(missing, EVIDENCE_SCOPES);
    const unknown =
      conditionsOnly && !read.conditions
        ? "whether systemic sclerosis or calcinosis is on record is unknown"
        : "calcinosis cannot be ruled out";
    return `Not all of the record could be loaded (${what}): ${unknown}. ${whatToDo(missing)}`;
  }
  if (status === "no-evidence") {
    const unread = read.notRead ? ` ${plural(read.notRead, "report or note attachment")} could not be read: see the data panel.` : "";
    return `No calcinosis recognised in ${readSummary(read)}.${unread}`;
  }
  // Probable: the finding of the largest (then latest) measured lesion.
  if (status === "probable") {
    const sized = lesions.filter((l) => l.maxDimensionCm !== null);
    sized.sort((x, y) => (y.maxDimensionCm ?? 0) - (x.maxDimensionCm ?? 0) || (y.date ?? "").localeCompare(x.date ?? ""));
    const top = sized[0];
    const f = top && findings.find((x) => x.ruleId === "PC-SIZE" && x.lesionId === top.id);
    if (f) return f.text;
  }
  for (const id of DECIDING[status] ?? []) {
    const f = findings.find((x) => x.ruleId === id);
    if (f) return f.text;
  }
  return findings[0]?.text ?? "";
}
