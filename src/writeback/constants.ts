/**
 * Code systems and codes that only the write-back uses. The clinical systems (SNOMED CT, LOINC,
 * condition clinical and verification status) come from `SYSTEM` in src/clinical/codes.ts.
 */
export const WRITEBACK_SYSTEM = {
  conditionCategory: "http://terminology.hl7.org/CodeSystem/condition-category",
  documentCategory: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
  provenanceParticipant: "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
  dataOperation: "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
} as const;

/** ServiceRequest.category (SNOMED, from the FHIR servicerequest-category example set). */
export const ORDER_CATEGORY = {
  laboratory: { code: "108252007", display: "Laboratory procedure" },
  imaging: { code: "363679005", display: "Imaging" },
  surgical: { code: "387713003", display: "Surgical procedure" },
} as const;

/** Concepts the written resources carry: SNOMED CT (calcinosis, spine) and LOINC (the consult note). */
export const WRITTEN_CODES = {
  tumoralCalcinosis: { code: "61778004", display: "Tumoral calcinosis" },
  vertebralColumn: { code: "421060004", display: "Structure of vertebral column" },
  consultNote: { code: "11488-4", display: "Consult note" },
} as const;
