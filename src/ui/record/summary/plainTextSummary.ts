import type { Assessment } from "../../../clinical/types";
import { ageOn, patientIdentifier, patientName } from "../../evidence/patientText";
import { type FhirResource, formatDate, str } from "../../evidence/fhirText";
import { imagingRows } from "../imaging/imagingRows";
import { LAB_ORDER, interpret, labLabel, rangeFor, resultValueText } from "../labs/labMeta";
import { statusLabel } from "../ruleInfo";
import { siteLabel } from "../siteLabels";
import { lesionRows, modalityText, sizeText } from "../lesions/lesionRows";
import { orderGaps } from "../panels/WorkupGapsPanel";

/** One line per item, no markup: the text the clinician pastes into a note or a message. */
export function plainTextSummary(
  a: Assessment,
  opts: { patient?: FhirResource; resources?: readonly FhirResource[]; incomplete?: string[] } = {},
): string {
  const L: string[] = [];
  const p = opts.patient;
  L.push(`Pseudotumoral calcinosis review (ruleset ${a.ruleset.id} ${a.ruleset.version}, as of ${a.asOf})`);
  if (p) {
    const birth = str(p.birthDate);
    const age = birth ? ageOn(birth, a.asOf) : a.patient.ageYears;
    L.push(
      `Patient: ${patientName(p) ?? "name not recorded"}, ${str(p.gender) ?? a.patient.sex ?? "sex not recorded"}, ${age ?? "?"} y, born ${birth ?? "?"}${patientIdentifier(p) ? `, ${patientIdentifier(p)}` : ""}`,
    );
  }
  L.push(`Status: ${statusLabel(a.status)}`);
  if (a.statusReason) L.push(`Reason: ${a.statusReason}`);
  if (a.ssc.present) {
    L.push(
      `Systemic sclerosis: ${a.ssc.subset ?? "unspecified"}${a.ssc.durationYears !== null ? `, ${Math.floor(a.ssc.durationYears)} years` : ""}`,
    );
  }
  if (opts.incomplete && opts.incomplete.length) {
    L.push(`Incomplete data: ${opts.incomplete.join("; ")}`);
  }
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    L.push("", `${title}:`);
    for (const l of lines) L.push(`- ${l}`);
  };
  section(
    "Red flags",
    a.redFlags.map((f) => `${f.text} [${f.ruleId}]`),
  );
  section(
    "Findings",
    a.findings.map((f) => `${f.text} [${f.ruleId}]`),
  );
  section(
    "Lesions",
    lesionRows(a.lesions).map(
      (r) =>
        `${r.label}: latest ${r.latestCm !== null ? `${r.latestCm} cm` : "size not stated"}${r.peakCm !== null && r.peakCm !== r.latestCm ? `, peak ${r.peakCm} cm` : ""}, first seen ${r.firstSeen ? formatDate(r.firstSeen) : "date unknown"}; ${r.measurements.map((m) => `${m.date ? formatDate(m.date) : "date unknown"} ${modalityText(m.modality)} ${sizeText(m)}`).join("; ")}`,
    ),
  );
  section(
    "Growth",
    (a.growth ?? []).map(
      (g) =>
        `${siteLabel(g.siteGroup)}, ${g.laterality ?? "side not stated"}: ${g.fromCm} cm (${formatDate(g.fromDate)}) to ${g.toCm} cm (${formatDate(g.toDate)}), ${Math.round(g.percent)}%`,
    ),
  );
  section(
    "Risk context",
    a.riskFeatures.map((r) => `${r.text} [${r.ruleId}]`),
  );
  section(
    "Secondary causes to review",
    a.secondaryCauses.map((s) => `${s.text}${s.detail ? ` (${s.detail})` : ""} [${s.ruleId}]`),
  );
  section(
    "Workup gaps",
    orderGaps(a.workupGaps).map((g) => `${g.text} [${g.ruleId}]`),
  );
  section(
    "Latest labs",
    LAB_ORDER.filter((k) => a.labs[k]?.latest).map((k) => {
      const r = a.labs[k]!.latest!;
      return `${labLabel(k)}: ${resultValueText(r)} (${r.date ? formatDate(r.date) : "date unknown"}; range ${rangeFor(k, r).text}; ${interpret(k, r).text})`;
    }),
  );
  if (opts.resources) {
    section(
      "Imaging",
      imagingRows(opts.resources).map(
        (r) => `${r.date ? formatDate(r.date) : "date unknown"} ${r.modality} ${r.site}: ${r.conclusion ?? r.description}`,
      ),
    );
  }
  section(
    "Data quality",
    a.dataQuality.map((d) => d.text),
  );
  L.push("", "Decision support only: every item needs clinical review.");
  return L.join("\n");
}
