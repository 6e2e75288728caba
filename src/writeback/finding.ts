import type { Assessment } from "../clinical/types";
import { canonicalEvidence, findingKey } from "./identifiers";

/** The identity of the whole assessment: patient, ruleset, status and every rule with its evidence. */
export function findingIdOf(assessment: Assessment): string {
  const items: string[] = [];
  const add = (prefix: string, evidence: readonly string[] | undefined) => {
    const refs = canonicalEvidence(evidence);
    if (refs.length === 0) items.push(`${prefix}|`);
    for (const ref of refs) items.push(`${prefix}|${ref}`);
  };
  for (const item of assessment.findings) add(item.ruleId, item.evidence);
  for (const item of assessment.redFlags) add(item.ruleId, item.evidence);
  for (const item of assessment.secondaryCauses) add(item.ruleId, item.evidence);
  for (const item of assessment.workupGaps) add(item.ruleId, item.evidence);
  for (const lesion of assessment.lesions) add(`lesion:${lesion.siteGroup}:${lesion.laterality ?? ""}`, lesion.evidence);
  return findingKey({
    kind: "finding",
    patientId: assessment.patient.id,
    rule: assessment.status,
    rulesetId: assessment.ruleset.id,
    rulesetVersion: assessment.ruleset.version,
    evidence: items,
  });
}

/** The Condition is offered only where it adds something: PC suspected and not already coded. */
export function conditionOffer(assessment: Assessment): { available: boolean; reason?: string } {
  if (assessment.status === "indeterminate") {
    return { available: false, reason: "Part of the record could not be loaded, so no diagnosis is proposed until it is." };
  }
  if (assessment.status === "not-applicable" || assessment.status === "no-evidence") {
    return { available: false, reason: "No calcinosis is suspected, so there is no diagnosis to propose." };
  }
  const coded = assessment.findings.some((f) => f.ruleId === "PC-DOC" && f.evidence.some((ref) => ref.startsWith("Condition/")));
  if (coded) {
    return { available: false, reason: "Tumoral calcinosis is already on the record as a condition." };
  }
  return { available: true };
}
