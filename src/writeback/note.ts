import { LAB_LABELS } from "../clinical/codes";
import type { Assessment, GapItem, LabKey, RuleItem } from "../clinical/types";
import { STATUS_LABELS } from "../clinical/ruleTable";
import { DEFAULT_APP_NAME, capitalize, citeEvidence, cm, day, evidenceDates, siteText } from "./labels";
import type { NotWrittenItem, WriteContext } from "./types";

/**
 * The plain-text consult note (Tier A). Written for a clinician reading it in the EHR: what the
 * app concluded, on which records (with dates), what to review and what is missing, which
 * ruleset produced it, and that it is decision support to be confirmed. Plain text only: the EHR
 * shows it as is, so there is nothing to escape and nothing that could render as markup.
 */

export const NOTE_TITLE = "Pseudotumoral calcinosis in systemic sclerosis: decision support review";

export interface NoteInput {
  assessment: Assessment;
  context: WriteContext;
  findingId: string;
  /** Structured content that will not be written (plan) or was refused (server): stated here. */
  notWritten?: NotWrittenItem[];
}

function ruleLines(items: readonly (RuleItem | GapItem)[], dates: Map<string, string>, none: string): string[] {
  if (items.length === 0) return [`- ${none}`];
  return items.map((item) => {
    const detail = "detail" in item && item.detail ? ` ${item.detail.trim().replace(/\.?$/, ".")}` : "";
    const text = item.text.trim().replace(/\.?$/, ".");
    const evidence = item.evidence && item.evidence.length > 0 ? ` Evidence: ${citeEvidence(item.evidence, dates)}.` : "";
    const since = "lastSeen" in item && item.lastSeen ? ` Last result: ${day(item.lastSeen)}.` : "";
    return `- [${item.ruleId}] ${text}${detail}${evidence}${since}`;
  });
}

function lesionLines(assessment: Assessment, dates: Map<string, string>): string[] {
  if (assessment.lesions.length === 0) return ["- No calcified lesion found in the record."];
  return assessment.lesions.map((lesion) => {
    const size =
      lesion.maxDimensionCm != null
        ? `largest dimension ${cm(lesion.maxDimensionCm)}` +
          (lesion.dimensionsCm && lesion.dimensionsCm.length > 1
            ? ` (${lesion.dimensionsCm.map((d) => Math.round(d * 10) / 10).join(" x ")} cm)`
            : "")
        : "no size recorded";
    const when = lesion.date ? `, ${day(lesion.date)}` : ", undated";
    const modality = lesion.modality ? `, ${lesion.modality}` : "";
    return `- ${capitalize(siteText(lesion))}: ${size}${when}${modality}. Source: ${citeEvidence(lesion.evidence, dates)}.`;
  });
}

function growthLines(assessment: Assessment): string[] {
  return (assessment.growth ?? []).map(
    (g) =>
      `- ${capitalize(siteText(g))}: ${cm(g.fromCm)} (${day(g.fromDate)}) to ${cm(g.toCm)} (${day(g.toDate)}), ` +
      `${g.percent >= 0 ? "+" : ""}${Math.round(g.percent)}%.`,
  );
}

function labLines(assessment: Assessment): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(LAB_LABELS) as LabKey[]) {
    const latest = assessment.labs[key]?.latest;
    if (!latest || latest.value == null) continue;
    const value = `${latest.comparator ?? ""}${latest.value}${latest.unit ? ` ${latest.unit}` : ""}`;
    const date = latest.date ? ` (${day(latest.date)})` : "";
    lines.push(`- ${LAB_LABELS[key]}: ${value}${date}. Source: ${latest.evidence}.`);
  }
  return lines;
}

/** One bullet per distinct reason, listing what it kept out of the record. */
export function notWrittenLines(items: readonly NotWrittenItem[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const item of items) {
    const reason = item.reason.trim().replace(/\.?$/, ".");
    const list = byReason.get(reason) ?? [];
    const description = item.description.trim().replace(/\.$/, "");
    if (!list.includes(description)) list.push(description);
    byReason.set(reason, list);
  }
  return [...byReason].map(([reason, descriptions]) => `- ${descriptions.join("; ")}. Not written: ${reason}`);
}

export function userLabel(fhirUser: string | null | undefined): string | null {
  if (!fhirUser) return null;
  const match = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(fhirUser);
  return match ? `${match[1]}/${match[2]}` : fhirUser;
}

export function composeNote({ assessment, context, findingId, notWritten = [] }: NoteInput): string {
  const dates = evidenceDates(assessment);
  const { patient, ssc } = assessment;
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    out.push("", title, ...lines);
  };

  out.push(NOTE_TITLE);
  out.push("PRELIMINARY. Decision support generated from the record; not a diagnosis. To be confirmed by the treating clinician.");
  out.push("");
  out.push(`Assessment: ${STATUS_LABELS[assessment.status]} (status: ${assessment.status}).`);
  out.push(`Record reviewed as of: ${assessment.asOf}.`);
  const demographics = [patient.ageYears != null ? `${patient.ageYears} years` : null, patient.sex].filter(Boolean);
  out.push(`Patient: Patient/${patient.id}${demographics.length ? ` (${demographics.join(", ")})` : ""}.`);
  if (ssc.present) {
    const subset = ssc.subset && ssc.subset !== "unspecified" ? `${ssc.subset} cutaneous` : "subset unspecified";
    const duration = ssc.durationYears != null ? `, ${ssc.durationYears} years since onset` : "";
    const source = ssc.evidence && ssc.evidence.length ? ` Source: ${citeEvidence(ssc.evidence, dates)}.` : "";
    out.push(`Systemic sclerosis: ${subset}${duration}.${source}`);
  } else {
    out.push("Systemic sclerosis: no active diagnosis on record.");
  }

  section("LESIONS", lesionLines(assessment, dates));
  const growth = growthLines(assessment);
  if (growth.length) section("GROWTH BETWEEN MEASUREMENTS", growth);
  section("FINDINGS", ruleLines(assessment.findings, dates, "None."));
  section("RED FLAGS", ruleLines(assessment.redFlags, dates, "None found in the record."));
  section("SECONDARY CAUSES TO REVIEW", ruleLines(assessment.secondaryCauses, dates, "None flagged."));
  section("WORKUP GAPS", ruleLines(assessment.workupGaps, dates, "None."));
  section("RISK FEATURES (context, not a diagnosis)", ruleLines(assessment.riskFeatures, dates, "None."));
  const labs = labLines(assessment);
  if (labs.length) section("LATEST LABORATORY RESULTS", labs);
  if (assessment.dataQuality.length) {
    section(
      "DATA QUALITY",
      assessment.dataQuality.map(
        (note) =>
          `- ${note.text.trim().replace(/\.?$/, ".")}${note.evidence.length ? ` Source: ${citeEvidence(note.evidence, dates)}.` : ""}`,
      ),
    );
  }
  if (assessment.notEvaluated?.length) {
    section(
      "NOT EVALUATED",
      assessment.notEvaluated.map((item) => `- [${item.ruleId}] ${item.reason.trim().replace(/\.?$/, ".")}`),
    );
  }
  if (notWritten.length) {
    section("NOT RECORDED AS STRUCTURED DATA (stated here instead)", notWrittenLines(notWritten));
  }

  const appName = context.appName ?? DEFAULT_APP_NAME;
  const user = userLabel(context.fhirUser);
  section("ABOUT THIS NOTE", [
    `Ruleset: ${assessment.ruleset.id} version ${assessment.ruleset.version}. Rule ids in brackets refer to the app's clinical specification.`,
    `Finding id: ${findingId}`,
    `Generated by: ${appName} ${context.appVersion} (${context.appUrl}) on ${context.now}${user ? `, reviewed and sent by ${user}` : ""}.`,
    "This is computer-generated decision support based on the record. It is not a diagnosis: every finding must be confirmed by the treating clinician.",
  ]);
  return out.join("\n") + "\n";
}
