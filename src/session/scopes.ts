/**
 * The scopes the app asks for: least privilege, one list for the app, the registration kit and the
 * README. SMART v2 spelling by default; v1 where the server's smart-configuration does not announce
 * `permission-v2` (design.md, "Launch and session").
 */

export type ScopeVersion = "v1" | "v2";
export type LaunchMode = "ehr" | "standalone";

export interface ScopeRequest {
  /** The resource type, or the context scope itself for non-resource scopes. */
  name: string;
  /** "read": read by id only; "search": read and search; "write": create only. */
  access: "read" | "search" | "write" | "context";
  /** Why the app needs it, for hospital IT. */
  reason: string;
}

/** Read only what the engine needs: the Patient by id, the rest by search; never update or delete. */
export const READ_SCOPES: ScopeRequest[] = [
  { name: "Patient", access: "read", reason: "Banner (name, sex, birth date) and age for rule R-AGE." },
  {
    name: "Observation",
    access: "search",
    reason: "Calcium, phosphate, PTH, 25-OH vitamin D, renal function, albumin, bone ALP and SSc antibodies (clinical-spec.md §4).",
  },
  { name: "Condition", access: "search", reason: "Systemic sclerosis (E1), calcinosis, vascular risk features and secondary causes." },
  { name: "ImagingStudy", access: "search", reason: "Which sites were imaged with which modality (G-IMG-SITE, G-CT, G-SPINE)." },
  { name: "DiagnosticReport", access: "search", reason: "Imaging report conclusions, where lesion sizes and sites are written." },
  {
    name: "DocumentReference",
    access: "search",
    reason:
      "Clinical notes and imaging/pathology narratives (US Core), where lesions are often described; shows whether the app's note was already sent.",
  },
  { name: "Binary", access: "read", reason: "The text of report and note attachments (HTML, RTF, PDF, plain text), read by id." },
  { name: "Procedure", access: "search", reason: "Biopsies and excisions (G-NEO) and treatments of calcinosis." },
  {
    name: "MedicationRequest",
    access: "search",
    reason: "Medications that raise or mask calcium, phosphate, vitamin D or PTH (S-DRUG, context only).",
  },
];

/** Create only, and only after the clinician confirms (design.md, "Write-back"). */
export const WRITE_SCOPES: ScopeRequest[] = [
  { name: "DocumentReference", access: "write", reason: "Tier A: the consult note with the findings (always offered)." },
  { name: "Condition", access: "write", reason: "Tier B: a provisional tumoral calcinosis diagnosis, only if the clinician ticks it." },
  { name: "DetectedIssue", access: "write", reason: "Tier B: one per finding, with its evidence." },
  { name: "ServiceRequest", access: "write", reason: "Tier B: one draft proposal per workup gap." },
  { name: "Provenance", access: "write", reason: "Tier B: who (the user) and what (the app) wrote the resources above." },
];

export const CONTEXT_SCOPES: Record<LaunchMode, ScopeRequest[]> = {
  ehr: [
    { name: "launch", access: "context", reason: "EHR launch: receive the patient (and encounter) in context." },
    { name: "openid", access: "context", reason: "Identify the user (fhirUser) as the author of written notes." },
    { name: "fhirUser", access: "context", reason: "The user's FHIR resource, cited as author and in Provenance." },
    { name: "online_access", access: "context", reason: "Renew the access token while the clinician keeps the app open (never offline)." },
  ],
  standalone: [
    { name: "launch/patient", access: "context", reason: "Standalone launch: the EHR asks the user to pick the patient." },
    { name: "openid", access: "context", reason: "Identify the user (fhirUser) as the author of written notes." },
    { name: "fhirUser", access: "context", reason: "The user's FHIR resource, cited as author and in Provenance." },
    { name: "online_access", access: "context", reason: "Renew the access token while the clinician keeps the app open (never offline)." },
  ],
};

const V2_PERMISSIONS = { read: "r", search: "rs", write: "c" } as const;

export function resourceScope(request: ScopeRequest, version: ScopeVersion): string {
  if (request.access === "context") return request.name;
  if (version === "v2") return `patient/${request.name}.${V2_PERMISSIONS[request.access]}`;
  return `patient/${request.name}.${request.access === "write" ? "write" : "read"}`;
}

export function scopeRequests(mode: LaunchMode, options: { write?: boolean } = {}): ScopeRequest[] {
  return [...CONTEXT_SCOPES[mode], ...READ_SCOPES, ...(options.write === false ? [] : WRITE_SCOPES)];
}

/** The space-separated scope string for the authorize request. */
export function buildScope(mode: LaunchMode, version: ScopeVersion, options: { write?: boolean } = {}): string {
  return scopeRequests(mode, options)
    .map((request) => resourceScope(request, version))
    .join(" ");
}

/** v2 only when the server says so: a v1 server may reject scopes it cannot parse. */
export function scopeVersionFromSmartConfiguration(smartConfiguration: unknown): ScopeVersion {
  const capabilities = (smartConfiguration as { capabilities?: unknown } | null)?.capabilities;
  return Array.isArray(capabilities) && capabilities.includes("permission-v2") ? "v2" : "v1";
}
