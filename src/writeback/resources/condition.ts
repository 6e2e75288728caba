import type { Condition } from "fhir/r4";
import { SYSTEM } from "../../clinical/codes";
import { WRITEBACK_SYSTEM, WRITTEN_CODES } from "../constants";
import { bodySites, refs, sitesText, type Composition, type EntryDraft } from "./shared";

/** Tier B: the provisional diagnosis (only when offered and ticked; compose decides). */
export function conditionEntry(c: Composition): EntryDraft {
  const { assessment, context } = c;
  const { id: rulesetId, version: rulesetVersion } = assessment.ruleset;
  const pcFindings = assessment.findings.filter((f) => f.ruleId.startsWith("PC-"));
  const evidence = [...pcFindings.flatMap((f) => f.evidence), ...assessment.lesions.flatMap((l) => l.evidence)];
  const sites = sitesText(assessment.lesions);
  const identifier = c.identify("Condition", "PC", evidence);
  const findings = assessment.findings.map((f) => `[${f.ruleId}] ${f.text}`).join(" ");
  const condition: Condition = {
    resourceType: "Condition",
    identifier: [identifier],
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: "active", display: "Active" }] },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: "provisional", display: "Provisional" }] },
    category: [{ coding: [{ system: WRITEBACK_SYSTEM.conditionCategory, code: "problem-list-item", display: "Problem List Item" }] }],
    code: {
      coding: [{ system: SYSTEM.snomed, ...WRITTEN_CODES.tumoralCalcinosis }],
      text: "Pseudotumoral (tumoral) calcinosis in systemic sclerosis, provisional",
    },
    ...(assessment.lesions.length ? { bodySite: bodySites(assessment.lesions) } : {}),
    subject: c.subject,
    ...(c.encounter ? { encounter: c.encounter } : {}),
    recordedDate: context.now,
    ...(c.user ? { recorder: { reference: c.user.reference }, asserter: { reference: c.user.reference } } : {}),
    ...(evidence.length ? { evidence: [{ detail: refs(evidence) }] } : {}),
    note: [
      {
        text:
          `Provisional diagnosis proposed by ${c.appName} (ruleset ${rulesetId} ${rulesetVersion}, finding ${c.findingId}) ` +
          `and accepted for the record by the clinician: ${findings}`.trim() +
          " To be confirmed.",
      },
    ],
  };
  return {
    key: "condition",
    kind: "condition",
    resourceType: "Condition",
    identifier,
    tier: "B",
    description: `Provisional diagnosis: tumoral calcinosis${sites ? ` (${sites})` : ""}`,
    ruleIds: pcFindings.map((f) => f.ruleId),
    references: [],
    resource: condition,
  };
}
