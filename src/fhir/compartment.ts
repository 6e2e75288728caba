import { underFhirBase } from "./transport";
/**
 * What of a search page we keep. The server is asked for one patient's resources, but the app must
 * never show another patient's data even when a server (or a proxy cache) gets the compartment
 * wrong, so every resource is re-checked here against the patient in the token response.
 */

export interface FhirReference {
  reference?: string;
}

/** The few fields the loader reads; any FHIR resource fits. */
export interface FhirResourceLike {
  resourceType: string;
  id?: string;
  subject?: FhirReference;
  patient?: FhirReference;
  [key: string]: unknown;
}

interface BundleEntryLike {
  resource?: unknown;
  search?: { mode?: string };
}

export interface BundleLike {
  resourceType: "Bundle";
  total?: number;
  link?: { relation?: string; url?: string }[];
  entry?: BundleEntryLike[];
}

/**
 * Does `ref` point at Patient/<patientId> of this FHIR server? Accepts the relative form, an
 * absolute URL under the server's own base (some servers write it), and a versioned reference
 * (`…/_history/2`). A contained (`#x`), `urn:` or identifier-only reference does not name the
 * patient, and neither does an absolute URL on another server (a patient of the same id there is
 * another person): none of them match.
 */
export function referencesPatient(ref: FhirReference | undefined, patientId: string, serverUrl: string): boolean {
  const value = ref?.reference;
  if (typeof value !== "string" || value === "") return false;
  const path = value.replace(/[?#].*$/, "").replace(/\/_history\/[^/]+$/, "");
  const parts = path.split("/");
  if (parts.length < 2) return false;
  const [type, id] = parts.slice(-2);
  if (type !== "Patient") return false;
  // A relative reference must be exactly "Patient/<id>"; an absolute one must be this server's.
  if (parts.length > 2 && underFhirBase(path, serverUrl)?.href !== underFhirBase(`Patient/${id}`, serverUrl)?.href) return false;
  try {
    return decodeURIComponent(id) === patientId;
  } catch {
    return false;
  }
}

/**
 * Whether a resource belongs to the patient. Observation, Condition, ImagingStudy and
 * DiagnosticReport name the patient in `subject` (R4); `patient` is the DSTU2/STU3 spelling on
 * Condition. A resource with no such reference cannot be shown to belong to the patient: dropped.
 */
export function belongsToPatient(resource: FhirResourceLike, patientId: string, serverUrl: string): boolean {
  if (resource.resourceType === "Patient") return resource.id === patientId;
  return referencesPatient(resource.subject, patientId, serverUrl) || referencesPatient(resource.patient, patientId, serverUrl);
}

export function isBundle(body: unknown): body is BundleLike {
  return typeof body === "object" && body !== null && (body as { resourceType?: unknown }).resourceType === "Bundle";
}

export function isResource(value: unknown): value is FhirResourceLike {
  return typeof value === "object" && value !== null && typeof (value as { resourceType?: unknown }).resourceType === "string";
}

export function resourceRef(resource: FhirResourceLike): string {
  return `${resource.resourceType}/${resource.id ?? "(no id)"}`;
}

export interface PageContent {
  /** Resources of the searched type that belong to the patient. */
  kept: FhirResourceLike[];
  /** References of resources of another patient (or of none). */
  strays: string[];
  /** OperationOutcome entries, `_include`d extras and entries of another type. */
  skipped: number;
}

/**
 * Splits one searchset page. Only `search.mode` "match" entries (or entries without a mode) of the
 * searched type count: OperationOutcome entries carry warnings, not data, and `_include`d resources
 * (mode "include", or any other type) are not what this search is for.
 */
export function pageContent(bundle: BundleLike, resourceType: string, patientId: string, serverUrl: string): PageContent {
  const content: PageContent = { kept: [], strays: [], skipped: 0 };
  for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
    const resource = entry?.resource;
    const mode = entry?.search?.mode;
    if (!isResource(resource) || resource.resourceType !== resourceType || (mode !== undefined && mode !== "match")) {
      content.skipped++;
      continue;
    }
    if (belongsToPatient(resource, patientId, serverUrl)) content.kept.push(resource);
    else content.strays.push(resourceRef(resource));
  }
  return content;
}

/** The `next` link of a page, if any. */
export function nextLink(bundle: BundleLike): string | undefined {
  const next = (Array.isArray(bundle.link) ? bundle.link : []).find((l) => l?.relation === "next");
  return typeof next?.url === "string" && next.url !== "" ? next.url : undefined;
}
