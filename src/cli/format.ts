/** Readable text for `--format text`: one block per patient, the same content as the JSON. */
import { LAB_LABELS, RULES, STATUS_LABELS } from "../clinical";
import type { Assessment, LabKey, RuleItem } from "../clinical/types";

/** FHIR text is data: strip control characters so that it cannot drive the terminal. */
export function safe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ");
}

function items(title: string, list: readonly RuleItem[] | readonly { ruleId: string; text: string; evidence?: string[] }[]): string[] {
  if (list.length === 0) return [];
  const out = [`  ${title}:`];
  for (const i of list) {
    out.push(`    - [${i.ruleId}] ${safe(i.text)}`);
    if (i.evidence && i.evidence.length) out.push(`      evidence: ${i.evidence.map(safe).join(", ")}`);
  }
  return out;
}

export function formatText(a: Assessment): string {
  const lines: string[] = [];
  const p = a.patient;
  const who = [p.sex, p.ageYears !== null ? `${p.ageYears} y` : null].filter(Boolean).join(", ");
  lines.push(`Patient ${safe(p.id)}${who ? ` (${who})` : ""}, as of ${a.asOf}, ruleset ${a.ruleset.id} ${a.ruleset.version}`);
  lines.push(`  Status: ${STATUS_LABELS[a.status]} [${a.status}]`);
  if (a.ssc.present) {
    const dur = a.ssc.durationYears !== null ? `, ${a.ssc.durationYears} years` : "";
    lines.push(`  SSc: ${a.ssc.subset ?? "unspecified"}${dur}`);
  }
  if (a.lesions.length) {
    lines.push("  Lesions:");
    for (const l of a.lesions) {
      const size = l.maxDimensionCm !== null ? `${l.maxDimensionCm} cm` : "size not given";
      lines.push(
        `    - ${l.siteGroup}${l.laterality ? ` (${l.laterality})` : ""}: ${size}${l.date ? `, ${l.date}` : ""}${l.modality ? `, ${l.modality}` : ""} [${l.evidence.map(safe).join(", ")}]`,
      );
    }
  }
  for (const g of a.growth ?? []) {
    lines.push(
      `  Growth: ${g.siteGroup}${g.laterality ? ` (${g.laterality})` : ""} ${g.fromCm} -> ${g.toCm} cm (${g.percent}%), ${g.fromDate} to ${g.toDate}`,
    );
  }
  lines.push(...items("Findings", a.findings));
  lines.push(...items("Risk features", a.riskFeatures));
  lines.push(...items("Secondary causes to review", a.secondaryCauses));
  lines.push(...items("Red flags", a.redFlags));
  lines.push(...items("Workup gaps", a.workupGaps));
  const labKeys = Object.keys(a.labs) as LabKey[];
  if (labKeys.length) {
    lines.push("  Latest labs:");
    for (const k of labKeys) {
      const s = a.labs[k]!;
      const l = s.latest;
      if (!l) continue;
      const v = l.normalized
        ? `${l.normalized.comparator ?? ""}${l.normalized.value} ${l.normalized.unit}`
        : `${l.comparator ?? ""}${l.value ?? "?"} ${safe(l.unit ?? "")} (unit not converted)`;
      lines.push(
        `    - ${LAB_LABELS[k]}: ${v}${l.date ? ` on ${l.date}` : ""} (${s.count} result${s.count === 1 ? "" : "s"}${s.trend ? `, ${s.trend}` : ""})`,
      );
    }
  }
  if (a.notEvaluated?.length) {
    lines.push("  Not evaluated:");
    for (const n of a.notEvaluated) lines.push(`    - [${n.ruleId}] ${RULES[n.ruleId].title}: ${safe(n.reason)}`);
  }
  if (a.dataQuality.length) {
    lines.push("  Data quality:");
    for (const d of a.dataQuality) lines.push(`    - [${d.code}] ${safe(d.text)}`);
  }
  return lines.join("\n");
}
