/**
 * assess(): one patient's FHIR R4 resources and an "as of" date to an Assessment. Pure and
 * deterministic: no clock, no I/O, no global state besides unit-conversion caches; every list in
 * the output is sorted, so the same input gives byte-identical JSON.
 */
import type { Resource } from "fhir/r4";
import { SITE_GROUP_ORDER } from "./codes";
import { plural } from "./dataQuality";
import { extractFacts } from "./extract";
import { labSummaries } from "./labs";
import { cmp } from "./order";
import { RULESET } from "./ruleTable";
import { eligibility } from "./rules/eligibility";
import { evidenceRules } from "./rules/evidence";
import { gapRules, scopeLabel, unavailableFor } from "./rules/gaps";
import { growth, lesionSeries } from "./rules/lesions";
import { redFlagRules } from "./rules/redflags";
import { patientAge, riskRules } from "./rules/risk";
import { secondaryRules } from "./rules/secondary";
import { RULE_NEEDS } from "./rules/needs";
import { statusOf } from "./status";
import type { AssessOptions, Assessment, Lesion, RuleId, SiteGroup } from "./types";

const PRESENCE_RULES: RuleId[] = [
  "E1",
  "E2",
  "PC-DOC",
  "PC-SIZE",
  "PC-CALC",
  "PC-IMG",
  "R-VASC",
  "R-DUR",
  "R-AGE",
  "R-CALC",
  "R-AB",
  "S-CA",
  "S-PHOS",
  "S-PTH",
  "S-VITD",
  "S-CKD",
  "S-CAXP",
  "S-DX",
  "RF-SPINE",
  "RF-COMP",
];

export function assess(resources: readonly Resource[], options: AssessOptions): Assessment {
  const facts = extractFacts(resources, options);
  const ssc = eligibility(facts);
  const ev = evidenceRules(facts);
  const status = statusOf(ssc.present, ev);
  const series = lesionSeries(facts.lesions);

  // Risk features and gaps are about SSc patients; findings, secondary causes and red flags are
  // reported for everyone (a red flag is a red flag).
  const riskFeatures = ssc.present ? riskRules(facts, ssc, ev) : [];
  const secondaryCauses = secondaryRules(facts);
  const redFlags = redFlagRules(facts);
  const riskIds = new Set(riskFeatures.map((r) => r.ruleId));
  const { gaps, blocked } = ssc.present ? gapRules({ facts, status, riskIds, series }) : { gaps: [], blocked: [] };
  gaps.sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99) || cmp(a.ruleId, b.ruleId) || cmp(a.text, b.text));

  // Rules that could not be evaluated: not fired while their data was unavailable, or missing inputs.
  const fired = new Set<RuleId>([...ev.findings, ...riskFeatures, ...secondaryCauses, ...redFlags].map((i) => i.ruleId));
  if (ssc.present) fired.add("E1");
  if (ssc.durationYears !== null) fired.add("E2");
  const notEvaluated: { ruleId: RuleId; reason: string }[] = [];
  const seen = new Set<RuleId>();
  const skipped = (ruleId: RuleId, reason: string) => {
    if (seen.has(ruleId)) return;
    seen.add(ruleId);
    notEvaluated.push({ ruleId, reason });
  };
  for (const id of PRESENCE_RULES) {
    if (fired.has(id) || (id.startsWith("R-") && !ssc.present) || (id === "E2" && !ssc.present)) continue;
    const missing = unavailableFor(id, facts.unavailable.scopes);
    if (missing.length) skipped(id, `${missing.join(", ")} could not be fully loaded.`);
  }
  for (const b of blocked) skipped(b.ruleId, b.reason);
  if (ssc.present && !fired.has("E2")) skipped("E2", "No onset or recorded date on the SSc diagnosis.");
  if (ssc.present && !fired.has("E2")) skipped("R-DUR", "Disease duration unknown (no onset or recorded date).");
  if (ssc.present && !facts.patient.birthDate) skipped("R-AGE", "No birth date.");
  notEvaluated.sort((a, b) => cmp(a.ruleId, b.ruleId));

  for (const u of facts.unavailable.entries) {
    const scopes =
      u.resourceType === "Observation"
        ? [...facts.unavailable.scopes].filter((s) => s.startsWith("Observation:") && (!u.group || s === `Observation:${u.group}`))
        : [u.resourceType];
    const rules = notEvaluated.filter((n) => RULE_NEEDS[n.ruleId].some((s) => scopes.includes(s))).map((n) => n.ruleId);
    const what = u.group ? `${u.resourceType} (${u.group})` : scopes.length === 1 ? scopeLabel(scopes[0]!) : u.resourceType;
    const how = u.reason === "truncated" ? "were only partly loaded" : "could not be loaded";
    facts.notes.add(
      "unavailable",
      null,
      () =>
        `${what} ${how}${u.message ? ` (${u.message})` : ""}: ${rules.length ? `${plural(rules.length, "rule")} not evaluated (${rules.join(", ")})` : "no rule affected"}.`,
      `${u.resourceType}|${u.group ?? ""}|${u.reason}`,
    );
  }

  const lesions: Lesion[] = facts.lesions.map((l) => {
    const out: Lesion = {
      siteGroup: l.siteGroup,
      laterality: l.laterality,
      maxDimensionCm: l.maxDimensionCm,
      dimensionsCm: l.dimensionsCm ?? [],
      date: l.date,
      evidence: l.evidence,
    };
    if (l.sourceText) out.sourceText = l.sourceText;
    out.modality = l.modality ?? null;
    return out;
  });
  const groups = new Set<SiteGroup>(lesions.map((l) => l.siteGroup));
  const siteGroups = SITE_GROUP_ORDER.filter((g) => g !== "other" && groups.has(g));
  const sides = new Set(lesions.map((l) => l.laterality));

  return {
    ruleset: { id: RULESET.id, version: RULESET.version },
    asOf: facts.asOf.iso,
    patient: { id: facts.patient.id, ageYears: patientAge(facts), sex: facts.patient.sex },
    status,
    ssc: {
      present: ssc.present,
      subset: ssc.subset,
      durationYears: ssc.durationYears,
      onsetDate: ssc.onset?.iso ?? null,
      evidence: ssc.evidence,
    },
    lesions,
    siteGroups,
    multiSite: siteGroups.length >= 2,
    bilateral: sides.has("bilateral") || (sides.has("left") && sides.has("right")),
    growth: growth(series),
    findings: ev.findings,
    riskFeatures,
    secondaryCauses,
    workupGaps: gaps,
    redFlags,
    labs: labSummaries(facts.labs),
    dataQuality: facts.notes.list(),
    notEvaluated,
  };
}
