/**
 * What the engine could not evaluate, and why (§6 STATUS: no rule may conclude an absence from data
 * that was not loaded). Two views of one fact: per rule (`notEvaluated`) and per missing scope
 * (`missingData`, each listed once with the rules it affects).
 */
import { OBSERVATION_CODE_GROUPS } from "../codes";
import type { Facts } from "../model";
import { scopeLabel, scopesOf, whyUnavailable } from "../scopes";
import { cmp } from "../order";
import type { MissingData, RuleId } from "../types";
import { RULE_NEEDS } from "./needs";
import { unavailableFor } from "./gaps";
import { patientAge } from "./risk";

/** Rules that report presence: not fired while their data was unavailable means "not evaluated", not "absent". */
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
  "S-DRUG",
  "RF-SPINE",
  "RF-COMP",
  "RF-CANAL",
];

/** Rules evaluated only once SSc is on record (§3: gaps, risk features, disease duration). */
const SSC_ONLY_RULES = (Object.keys(RULE_NEEDS) as RuleId[]).filter((id) => id.startsWith("G-") || id.startsWith("R-") || id === "E2");

/** The data a rule depends on: its own (RULE_NEEDS), and the diagnoses for the SSc-only rules. */
function needs(id: RuleId): readonly string[] {
  return SSC_ONLY_RULES.includes(id) ? [...RULE_NEEDS[id], "Condition"] : RULE_NEEDS[id];
}

export interface NotEvaluated {
  ruleId: RuleId;
  reason: string;
}

export function notEvaluatedRules(input: {
  facts: Facts;
  fired: ReadonlySet<RuleId>;
  sscPresent: boolean;
  durationKnown: boolean;
  blockedGaps: readonly NotEvaluated[];
}): NotEvaluated[] {
  const { facts, fired, sscPresent } = input;
  const out: NotEvaluated[] = [];
  const seen = new Set<RuleId>();
  const skipped = (ruleId: RuleId, reason: string) => {
    if (seen.has(ruleId)) return;
    seen.add(ruleId);
    out.push({ ruleId, reason });
  };
  for (const id of PRESENCE_RULES) {
    if (fired.has(id) || (id.startsWith("R-") && !sscPresent) || (id === "E2" && !sscPresent)) continue;
    const missing = unavailableFor(id, facts.unavailable.scopes);
    if (missing.length) skipped(id, `${whyUnavailable(missing, facts.unavailable.entries)}.`);
  }
  for (const b of input.blockedGaps) skipped(b.ruleId, b.reason);
  // Gaps, risk features and duration apply to SSc patients only: when the diagnoses could not be
  // loaded and no SSc was found, whether they apply is unknown, so none of them is "none".
  const sscMissing = sscPresent ? [] : unavailableFor("E1", facts.unavailable.scopes);
  if (sscMissing.length) {
    const why = `Whether systemic sclerosis is on record is unknown: ${whyUnavailable(sscMissing, facts.unavailable.entries)}.`;
    for (const id of SSC_ONLY_RULES) if (!fired.has(id)) skipped(id, why);
  }
  if (sscPresent && !input.durationKnown) {
    skipped("E2", "No onset or recorded date on the SSc diagnosis.");
    skipped("R-DUR", "Disease duration unknown (no onset or recorded date).");
  }
  if (sscPresent && !facts.patient.birthDate) skipped("R-AGE", "No birth date.");
  else if (sscPresent && patientAge(facts) === null) skipped("R-AGE", "Age unknown (see the data-quality notes).");
  return out.sort((a, b) => cmp(a.ruleId, b.ruleId));
}

/** Each unavailable search once (as the loader reported it), with the rules it leaves unevaluated. */
export function missingData(facts: Facts, notEvaluated: readonly NotEvaluated[]): MissingData[] {
  const out: MissingData[] = [];
  const listed = new Set<string>();
  for (const u of facts.unavailable.entries) {
    const key = `${u.resourceType}|${u.group ?? ""}|${u.reason}`;
    if (listed.has(key)) continue;
    listed.add(key);
    const scopes = scopesOf(u);
    const groups = OBSERVATION_CODE_GROUPS.filter((g) => scopes.includes(`Observation:${g.key}`));
    const labs = groups.flatMap((g) => g.labs);
    const own = OBSERVATION_CODE_GROUPS.find((g) => g.key === u.group);
    out.push({
      resourceType: u.resourceType,
      ...(u.group ? { group: u.group } : {}),
      scopes,
      label: u.label ?? own?.label ?? (groups.length === 1 ? groups[0]!.label : scopeLabel(u.resourceType)),
      reason: u.reason,
      ...(u.message ? { message: u.message } : {}),
      rules: notEvaluated.filter((n) => needs(n.ruleId).some((s) => scopes.includes(s))).map((n) => n.ruleId),
      ...(labs.length ? { labs } : {}),
    });
  }
  return out.sort((a, b) => cmp(a.resourceType, b.resourceType) || cmp(a.group ?? "", b.group ?? "") || cmp(a.reason, b.reason));
}
