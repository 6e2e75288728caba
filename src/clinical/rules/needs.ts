/**
 * The data each rule reads, as loader scopes (resource types; Observation groups of codes.ts). When
 * a scope could not be loaded, a rule that did not fire (or a gap that would be claimed) is
 * reported as not evaluated instead of silently absent.
 */
import type { Scope } from "../model";
import type { RuleId } from "../types";

const OBS = (group: string): Scope => `Observation:${group}`;
const CA = OBS("calcium-phosphate");
const ALB = OBS("albumin");
const PTHD = OBS("pth-vitamin-d");
const KID = OBS("kidney");
const AB = OBS("antibodies");
const LES = OBS("lesions");
/** Where report and note text is: reports, study descriptions, clinical notes. */
const TEXT: Scope[] = ["DiagnosticReport", "ImagingStudy", "DocumentReference"];

export const RULE_NEEDS: Record<RuleId, readonly Scope[]> = {
  E1: ["Condition"],
  E2: ["Condition", "Patient"],
  "PC-DOC": ["Condition", LES, ...TEXT],
  "PC-SIZE": ["Condition", LES, ...TEXT],
  "PC-CALC": ["Condition", LES, "DocumentReference"],
  "PC-IMG": TEXT,
  "R-VASC": ["Condition"],
  "R-DUR": ["Condition"],
  "R-AGE": ["Patient"],
  "R-CALC": ["Condition", LES, ...TEXT],
  "R-AB": [AB],
  "S-CA": [CA, ALB, "Condition"],
  "S-PHOS": [CA, "Condition"],
  "S-PTH": [PTHD],
  "S-VITD": [PTHD],
  "S-CKD": [KID, "Condition"],
  "S-CAXP": [CA],
  "S-DX": ["Condition"],
  "S-DRUG": ["MedicationRequest"],
  "G-CA": [CA],
  "G-PHOS": [CA],
  "G-PTH": [PTHD],
  "G-VITD": [PTHD],
  "G-RENAL": [KID],
  "G-ALB": [CA, ALB],
  "G-AB": [AB],
  "G-IMG-SITE": TEXT,
  "G-CT": TEXT,
  "G-SPINE": TEXT,
  "G-NEO": ["DiagnosticReport", "DocumentReference", "Procedure", LES],
  "G-SCREEN": TEXT,
  "RF-SPINE": ["Condition", ...TEXT],
  "RF-COMP": ["Condition", ...TEXT],
  "RF-CANAL": TEXT,
};
