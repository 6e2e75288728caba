/**
 * Code systems: their canonical URIs, the OIDs some EHRs send instead (§6), and the checks the
 * extractors use to compare a coding's system. Re-exported by codes.ts.
 */
import { Memo } from "./memo";

export const SYSTEM = {
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  loinc: "http://loinc.org",
  loincOid: "urn:oid:2.16.840.1.113883.6.1",
  snomed: "http://snomed.info/sct",
  ucum: "http://unitsofmeasure.org",
  dicom: "http://dicom.nema.org/resources/ontology/DCM",
  conditionClinical: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  conditionVerification: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  v2_0074: "http://terminology.hl7.org/CodeSystem/v2-0074",
} as const;

/**
 * The tag the app's write-back puts on every resource it creates. The engine skips tagged
 * resources: a provisional diagnosis or note the app wrote from an earlier assessment is not new
 * evidence, and counting it would turn the app's own suggestion into proof of itself. The same for
 * every deployment (identifier systems differ per deployment; this tag does not).
 */
export const WRITTEN_BY_APP_TAG = {
  system: "urn:calcinosis-smart-app:origin",
  code: "written-by-app",
  display: "Written by the calcinosis app (pc-ssc)",
} as const;

/** ICD-10 and ICD-10-CM share the code space we need; any system under this prefix is ICD-10. */
export const ICD10_SYSTEM_PREFIX = "http://hl7.org/fhir/sid/icd-10";

/** §6 CODES: a code system may be given by its HL7 OID instead of its canonical URI. */
export const SYSTEM_OIDS: Readonly<Record<string, string>> = {
  "urn:oid:2.16.840.1.113883.6.96": SYSTEM.snomed,
  "urn:oid:2.16.840.1.113883.6.90": "http://hl7.org/fhir/sid/icd-10-cm",
  "urn:oid:2.16.840.1.113883.6.3": ICD10_SYSTEM_PREFIX,
  "urn:oid:2.16.840.1.113883.6.1": SYSTEM.loinc,
  "urn:oid:2.16.840.1.113883.6.88": SYSTEM.rxnorm,
};

/** System as written -> canonical URI (memo.ts: an EHR sends a handful of systems, on every coding). */
const CANONICAL_SYSTEMS = new Memo<string, string>(1_000);

/** The canonical URI of a code system given by URI or OID (with or without "urn:oid:"). */
export function canonicalSystem(system: string | undefined): string | undefined {
  if (!system) return system;
  const known = CANONICAL_SYSTEMS.get(system);
  if (known !== undefined) return known;
  const s = system.trim();
  const canonical = SYSTEM_OIDS[s] ?? SYSTEM_OIDS[`urn:oid:${s}`] ?? s;
  CANONICAL_SYSTEMS.set(system, canonical);
  return canonical;
}

export function isSnomed(system: string | undefined): boolean {
  return canonicalSystem(system) === SYSTEM.snomed;
}

export function isRxnorm(system: string | undefined): boolean {
  return canonicalSystem(system) === SYSTEM.rxnorm;
}
