/**
 * The clinical engine (clinical-spec.md): a pure function from one patient's FHIR R4 resources and
 * an "as of" date to an Assessment. No React, no network, no global state; browser and Node.
 */
export { assess } from "./assess";
export { RULES, RULESET, STATUS_LABELS, type RuleInfo } from "./ruleTable";
export {
  OBSERVATION_CODE_GROUPS,
  LAB_LOINC,
  LAB_LABELS,
  LAB_KEYS,
  ANTIBODY_LOINC,
  ANTIBODY_LABELS,
  SITE_GROUP_ORDER,
  groupOfLab,
  type ObservationCodeGroup,
  type AntibodyKey,
} from "./codes";
export { DATA_QUALITY_CODES, type DataQualityCode } from "./dataQuality";
export { ANALYTE_UNITS, convertLab } from "./units";
export * as THRESHOLDS from "./thresholds";
export type * from "./types";
