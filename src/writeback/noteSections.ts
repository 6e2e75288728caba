import { LAB_LABELS } from "../clinical/codes";
import { plural } from "../clinical/dataQuality";
import type { Assessment, GapItem, LabKey, RuleItem } from "../clinical/types";
import { missingSearches, missingText, otherNotEvaluated, sectionGap, type NoteSection } from "./completeness";
import { asSentence, capitalize, citeEvidence, cm, day } from "./labels";
import { lesionName, lesionOf, lesionText } from "./lesionText";
import type { NotWrittenItem } from "./types";

/**
 * The lines of the consult note's sections. A section with nothing to list says so only as far as
 * the data read allows: where rules of the section could not be evaluated (a search failed, was
 * cut short or was still loading), it says what was read and what could not be evaluated instead
 * of claiming an absence (issue 10).
 */

type Dates = ReadonlyMap<string, string>;

/** What may be missing from each section when its rules could not all be evaluated. */
const MAY_BE_MISSING: Record<NoteSection, string> = {
  ssc: "it may be on record",
  lesions: "lesions may be missing",
  findings: "findings may be missing",
  redFlags: "red flags may be missing",
  secondaryCauses: "secondary causes may be missing",
  workupGaps: "gaps the app could not check may exist",
  riskFeatures: "risk features may be missing",
};

/**
 * The line for an empty section, or the line appended to a listed one, when some of its rules were
 * not evaluated; `none` (the plain absence) only when every rule of the section was.
 */
function absenceLines(assessment: Assessment, section: NoteSection, listed: boolean, none: string): string[] {
  const gap = sectionGap(assessment, section);
  if (!gap) return listed ? [] : [`- ${none}`];
  const rules = gap.rules.join(", ");
  if (listed) return [`- Not evaluated: ${rules} (${gap.causes.join("; ")}).`];
  return [`- None found in the data read; ${gap.causes.join("; ")}, so ${MAY_BE_MISSING[section]} (not evaluated: ${rules}).`];
}

export function ruleLines(
  assessment: Assessment,
  items: readonly (RuleItem | GapItem)[],
  section: NoteSection,
  none: string,
  dates: Dates,
) {
  const lines = items.map((item) => {
    const detail = "detail" in item && item.detail ? ` ${asSentence(item.detail)}` : "";
    const lesion = lesionOf(assessment, "lesionId" in item ? item.lesionId : undefined);
    const about = lesion ? ` Lesion: ${lesionText(lesion, "short")}.` : "";
    const evidence = item.evidence && item.evidence.length > 0 ? ` Evidence: ${citeEvidence(item.evidence, dates)}.` : "";
    const since = "lastSeen" in item && item.lastSeen ? ` Last result: ${day(item.lastSeen)}.` : "";
    return `- [${item.ruleId}] ${asSentence(item.text)}${detail}${about}${evidence}${since}`;
  });
  return [...lines, ...absenceLines(assessment, section, lines.length > 0, none)];
}

export function lesionLines(assessment: Assessment, dates: Dates): string[] {
  const lines = assessment.lesions.map((lesion) => `- ${lesionText(lesion, "line", dates)}`);
  return [...lines, ...absenceLines(assessment, "lesions", lines.length > 0, "No calcified lesion found in the record.")];
}

/** "Systemic sclerosis: …" (the header line). */
export function sscLine(assessment: Assessment, dates: Dates): string {
  const { ssc } = assessment;
  if (!ssc.present) {
    const gap = sectionGap(assessment, "ssc");
    return gap
      ? `Systemic sclerosis: not found in the data read; ${gap.causes.join("; ")}, so ${MAY_BE_MISSING.ssc}.`
      : "Systemic sclerosis: no active diagnosis on record.";
  }
  const subset = ssc.subset && ssc.subset !== "unspecified" ? `${ssc.subset} cutaneous` : "subset unspecified";
  const duration = ssc.durationYears != null ? `, ${ssc.durationYears} years since onset` : "";
  const source = ssc.evidence && ssc.evidence.length ? ` Source: ${citeEvidence(ssc.evidence, dates)}.` : "";
  return `Systemic sclerosis: ${subset}${duration}.${source}`;
}

export function growthLines(assessment: Assessment): string[] {
  return (assessment.growth ?? []).map((g) => {
    const lesion = lesionOf(assessment, g.lesionId) ?? g;
    const modality = g.crossModality ? " (measured with different modalities)" : "";
    return (
      `- ${capitalize(lesionName(lesion))}: ` +
      `${cm(g.fromCm)} (${day(g.fromDate)}) to ${cm(g.toCm)} (${day(g.toDate)}), ${g.percent >= 0 ? "+" : ""}${Math.round(g.percent)}%${modality}.`
    );
  });
}

/** The latest value of each analyte, then the analytes whose search is missing (never "no result"). */
export function labLines(assessment: Assessment): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(LAB_LABELS) as LabKey[]) {
    const latest = assessment.labs[key]?.latest;
    if (!latest || latest.value == null) continue;
    const value = `${latest.comparator ?? ""}${latest.value}${latest.unit ? ` ${latest.unit}` : ""}`;
    const date = latest.date ? ` (${day(latest.date)})` : "";
    lines.push(`- ${LAB_LABELS[key]}: ${value}${date}. Source: ${latest.evidence}.`);
  }
  for (const missing of missingSearches(assessment)) {
    if (!missing.labs?.length) continue;
    lines.push(`- Not known: ${missing.labs.map((key) => LAB_LABELS[key]).join(", ")} (${missingText(missing)}).`);
  }
  return lines;
}

/** Each missing search once, with the rules it left unevaluated; empty when the record was read in full. */
export function incompleteLines(assessment: Assessment): string[] {
  const missing = missingSearches(assessment);
  if (!missing.length && assessment.status !== "indeterminate") return [];
  const { read } = assessment;
  const counts = [
    plural(read.conditions, "condition"),
    plural(read.results, "result"),
    plural(read.reports, "report"),
    plural(read.imagingStudies, "imaging study", "imaging studies"),
  ];
  return [
    `- The record could not be read in full when this note was written. Everything below rests only on the data read ` +
      `(${counts.slice(0, -1).join(", ")} and ${counts[counts.length - 1]}); an absence below is not proof of absence.`,
    ...missing.map((m) => {
      const how = m.reason === "failed" ? "could not be loaded" : m.reason === "truncated" ? "only partly loaded" : "still loading";
      const rules = m.rules.length ? ` Not evaluated: ${m.rules.join(", ")}.` : "";
      return `- ${m.label}: ${how}${m.message ? ` (${m.message})` : ""}.${rules}`;
    }),
  ];
}

/** Rules not evaluated for reasons other than a missing search (those are in RECORD INCOMPLETE). */
export function notEvaluatedLines(assessment: Assessment): string[] {
  return otherNotEvaluated(assessment).map((item) => `- [${item.ruleId}] ${asSentence(item.reason)}`);
}

/** What the clinician chose to record as structured data with this note. */
export function recordedLines(descriptions: readonly string[]): string[] {
  if (!descriptions.length) return ["- None: the findings are stated in this note only."];
  return descriptions.map((description) => `- ${description.trim().replace(/\.$/, "")}.`);
}

/** One bullet per distinct reason, listing what it kept out of the record. */
export function notWrittenLines(items: readonly NotWrittenItem[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const item of items) {
    const reason = asSentence(item.reason);
    const list = byReason.get(reason) ?? [];
    const description = item.description.trim().replace(/\.$/, "");
    if (!list.includes(description)) list.push(description);
    byReason.set(reason, list);
  }
  return [...byReason].map(([reason, descriptions]) => `- ${descriptions.join("; ")}. Not written: ${reason}`);
}
