/**
 * assess(): one patient's FHIR R4 resources and an "as of" date to an Assessment. Pure and
 * deterministic: no clock, no I/O, no global state besides unit-conversion caches; every list in
 * the output is sorted, so the same input gives byte-identical JSON.
 */
import type { Resource } from "fhir/r4";
import { SITE_GROUP_ORDER } from "./codes";
import { extractFacts } from "./extract";
import { labSummaries } from "./labs";
import { cmp } from "./order";
import { RULESET } from "./ruleTable";
import { eligibility } from "./rules/eligibility";
import { evidenceRules } from "./rules/evidence";
import { gapRules } from "./rules/gaps";
import { buildLesions, growth } from "./rules/lesions";
import { redFlagRules } from "./rules/redflags";
import { patientAge, riskRules } from "./rules/risk";
import { secondaryRules } from "./rules/secondary";
import { missingData, notEvaluatedRules } from "./rules/unevaluated";
import { statusReason } from "./reason";
import { statusOf } from "./status";
import type { AssessOptions, Assessment, Lesion, RuleId, SiteGroup } from "./types";

export function assess(resources: readonly Resource[], options: AssessOptions): Assessment {
  const facts = extractFacts(resources, options);
  const ssc = eligibility(facts);
  const records = buildLesions(facts.lesions, SITE_GROUP_ORDER);
  const ev = evidenceRules(facts, records);
  const status = statusOf(ssc.present, ev, facts.unavailable.scopes);

  // Risk features and gaps are about SSc patients; findings, secondary causes and red flags are
  // reported for everyone (a red flag is a red flag).
  const riskFeatures = ssc.present ? riskRules(facts, ssc, ev, records) : [];
  const secondaryCauses = secondaryRules(facts);
  const redFlags = redFlagRules(facts, records);
  const riskIds = new Set(riskFeatures.map((r) => r.ruleId));
  const { gaps, blocked } = ssc.present ? gapRules({ facts, status, riskIds, lesions: records }) : { gaps: [], blocked: [] };
  gaps.sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99) || cmp(a.ruleId, b.ruleId) || cmp(a.text, b.text));

  const fired = new Set<RuleId>([...ev.findings, ...riskFeatures, ...secondaryCauses, ...redFlags].map((i) => i.ruleId));
  if (ssc.present) fired.add("E1");
  if (ssc.durationYears !== null) fired.add("E2");
  const notEvaluated = notEvaluatedRules({
    facts,
    fired,
    sscPresent: ssc.present,
    durationKnown: ssc.durationYears !== null,
    blockedGaps: blocked,
  });
  const missing = missingData(facts, notEvaluated);

  const lesions: Lesion[] = records.map((r) => r.lesion);
  const groups = new Set<SiteGroup>(lesions.map((l) => l.siteGroup));
  const siteGroups = SITE_GROUP_ORDER.filter((g) => g !== "other" && groups.has(g));
  const { bilateral, bothSides } = sidesOf(lesions);

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
    bilateral,
    bothSides,
    growth: growth(records),
    findings: ev.findings,
    riskFeatures,
    secondaryCauses,
    workupGaps: gaps,
    redFlags,
    labs: labSummaries(facts.labs),
    dataQuality: facts.notes.list(),
    notEvaluated,
    statusReason: statusReason({ status, findings: ev.findings, lesions, read: facts.read, missing }),
    read: { ...facts.read },
    missingData: missing,
  };
}

/**
 * §6 SIDE: bilateral when a lesion is (the text said bilateral, both, symmetric, or a paired site
 * in the plural) or one site group has a left and a right lesion; lesions of different site
 * groups on opposite sides are "both sides", not bilateral.
 */
function sidesOf(lesions: readonly Lesion[]): { bilateral: boolean; bothSides: boolean } {
  const byGroup = new Map<SiteGroup, Set<string>>();
  for (const l of lesions) if (l.laterality) byGroup.set(l.siteGroup, (byGroup.get(l.siteGroup) ?? new Set()).add(l.laterality));
  const sides = [...byGroup.values()];
  const bilateral = sides.some((s) => s.has("bilateral") || (s.has("left") && s.has("right")));
  const all = new Set(sides.flatMap((s) => [...s]));
  return { bilateral, bothSides: bilateral || (all.has("left") && all.has("right")) };
}
