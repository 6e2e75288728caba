/**
 * Read-only helpers that turn FHIR values into short display strings. Every value is coerced to a
 * plain string here and rendered by React as a text node: nothing from the server is ever
 * interpreted as HTML.
 *
 * The UI keeps its own structural resource type rather than depending on a FHIR typings package:
 * resources arrive as parsed JSON and are read defensively.
 */

/** Any FHIR resource as parsed JSON. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A string value, or undefined for anything that is not a non-empty string. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

export function refOf(r: { resourceType: string; id?: string }): string {
  return `${r.resourceType}/${r.id ?? ""}`;
}

export function indexResources(resources: readonly FhirResource[]): Map<string, FhirResource> {
  const m = new Map<string, FhirResource>();
  for (const r of resources) if (r && typeof r.resourceType === "string" && r.id) m.set(refOf(r), r);
  return m;
}

export function codingText(c: Json): string | undefined {
  if (!c || typeof c !== "object") return undefined;
  return str(c.display) ?? (str(c.code) ? `${str(c.code)}${str(c.system) ? ` (${shortSystem(c.system)})` : ""}` : undefined);
}

export function shortSystem(system: unknown): string {
  const s = str(system) ?? "";
  if (s.includes("snomed")) return "SNOMED CT";
  if (s.includes("loinc")) return "LOINC";
  if (s.includes("icd-10")) return "ICD-10";
  if (s.includes("dicom")) return "DICOM";
  return s;
}

export function conceptText(cc: Json): string | undefined {
  if (!cc || typeof cc !== "object") return undefined;
  if (Array.isArray(cc)) {
    for (const c of cc) {
      const t = conceptText(c);
      if (t) return t;
    }
    return undefined;
  }
  if (str(cc.text)) return cc.text;
  if (Array.isArray(cc.coding)) {
    for (const c of cc.coding) {
      const t = codingText(c);
      if (t) return t;
    }
  }
  return codingText(cc);
}

/** ISO date/dateTime → "2024-05-01" (the date part only, as written; no time-zone shifting). */
export function formatDate(d: unknown): string {
  const s = str(d);
  if (!s) return "date unknown";
  const m = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)/.exec(s);
  return m ? m[1] : s;
}

export function formatNumber(v: number | null | undefined, maxFractionDigits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return Number(v.toFixed(maxFractionDigits)).toString();
}

export function quantityText(q: Json): string | undefined {
  if (!q || typeof q !== "object" || typeof q.value !== "number") return undefined;
  const comp = str(q.comparator) ?? "";
  const unit = str(q.unit) ?? str(q.code) ?? "";
  return `${comp}${formatNumber(q.value, 4)}${unit ? " " + unit : ""}`;
}

export function effectiveDate(r: Json): string | undefined {
  return (
    str(r?.effectiveDateTime) ??
    str(r?.effectivePeriod?.start) ??
    str(r?.effectivePeriod?.end) ??
    str(r?.effectiveInstant) ??
    str(r?.issued) ??
    str(r?.started) ??
    str(r?.onsetDateTime) ??
    str(r?.onsetPeriod?.start) ??
    str(r?.recordedDate) ??
    str(r?.date) ??
    str(r?.birthDate)
  );
}

export function valueText(r: Json): string | undefined {
  if (!r || typeof r !== "object") return undefined;
  const q = quantityText(r.valueQuantity);
  if (q) return q;
  if (str(r.valueString)) return r.valueString;
  const cc = conceptText(r.valueCodeableConcept);
  if (cc) return cc;
  if (typeof r.valueBoolean === "boolean") return r.valueBoolean ? "yes" : "no";
  if (typeof r.valueInteger === "number") return String(r.valueInteger);
  if (r.dataAbsentReason) return `no value (${conceptText(r.dataAbsentReason) ?? "absent"})`;
  return undefined;
}

export function referenceRangeText(r: Json): string | undefined {
  const rr = Array.isArray(r?.referenceRange) ? r.referenceRange[0] : undefined;
  if (!rr) return undefined;
  if (str(rr.text)) return rr.text;
  const lo = quantityText(rr.low);
  const hi = quantityText(rr.high);
  if (lo && hi) return `${lo} – ${hi}`;
  if (lo) return `≥ ${lo}`;
  if (hi) return `≤ ${hi}`;
  return undefined;
}

export function statusText(r: Json): string | undefined {
  if (!r || typeof r !== "object") return undefined;
  const parts: string[] = [];
  if (str(r.status)) parts.push(r.status);
  const clin = conceptText(r.clinicalStatus);
  if (clin) parts.push(`clinical: ${clin}`);
  const ver = conceptText(r.verificationStatus);
  if (ver) parts.push(`verification: ${ver}`);
  return parts.length ? parts.join(", ") : undefined;
}

/**
 * Narrative XHTML reduced to its text content. Parsed with DOMParser as an inert document (scripts
 * never run, nothing is attached to the page) and only `textContent` is kept.
 */
export function narrativeText(r: Json): string | undefined {
  const div = str(r?.text?.div);
  if (!div) return undefined;
  try {
    if (typeof DOMParser !== "undefined") {
      const doc = new DOMParser().parseFromString(div, "text/html");
      doc.querySelectorAll("script,style").forEach((n) => n.remove());
      const t = (doc.body?.textContent ?? "").replace(/\s+/g, " ").trim();
      return t || undefined;
    }
  } catch {
    /* fall through */
  }
  const t = div
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return t || undefined;
}

// Imaging study fields, read by the evidence viewer and the imaging table alike.

export function imagingModalities(s: Json): string[] {
  const out = new Set<string>();
  const add = (c: Json) => {
    const code = str(c?.code);
    if (code) out.add(code);
  };
  if (Array.isArray(s?.modality)) s.modality.forEach(add);
  if (Array.isArray(s?.series)) for (const se of s.series) add(se?.modality);
  return [...out];
}

export function imagingBodySites(s: Json): string[] {
  const out = new Set<string>();
  if (Array.isArray(s?.series)) {
    for (const se of s.series) {
      const t = codingText(se?.bodySite) ?? conceptText(se?.bodySite);
      if (t) out.add(t);
    }
  }
  return [...out];
}
