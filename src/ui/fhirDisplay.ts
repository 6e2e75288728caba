/**
 * Read-only helpers that turn FHIR resources into short display strings. Every value is coerced to
 * a plain string here and rendered by React as a text node: nothing from the server is ever
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

/** The main "what is it" text of a resource (code, description, name). */
export function resourceTitle(r: Json): string {
  if (!r || typeof r !== "object") return "Unknown resource";
  switch (r.resourceType) {
    case "Patient":
      return patientName(r) ?? "Patient";
    case "ImagingStudy": {
      const mod = imagingModalities(r).join(", ");
      const desc = str(r.description) ?? conceptText(r.procedureCode) ?? "Imaging study";
      return mod ? `${desc} (${mod})` : desc;
    }
    default:
      return conceptText(r.code) ?? str(r.description) ?? r.resourceType ?? "Resource";
  }
}

export interface SummaryRow {
  label: string;
  value: string;
}

/** Plain-text rows for the evidence viewer's readable tab. */
export function resourceSummary(r: Json): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push({ label, value });
  };
  add("Type", str(r?.resourceType));
  add("Id", str(r?.id));
  add("What", resourceTitle(r));
  if (r?.resourceType === "Patient") {
    add("Sex", str(r.gender));
    add("Birth date", str(r.birthDate));
    add("Identifier", patientIdentifier(r));
  }
  add("Value", valueText(r));
  if (Array.isArray(r?.component)) {
    for (const c of r.component) {
      const v = valueText(c);
      if (v) add(conceptText(c.code) ?? "Component", v);
    }
  }
  add("Reference range", referenceRangeText(r));
  add("Interpretation", conceptText(r?.interpretation));
  add("Body site", conceptText(r?.bodySite) ?? (imagingBodySites(r).join(", ") || undefined));
  add("Date", effectiveDate(r) ? formatDate(effectiveDate(r)) : undefined);
  add("Status", statusText(r));
  add("Category", conceptText(r?.category));
  add("Conclusion", str(r?.conclusion));
  if (Array.isArray(r?.note)) {
    const notes = r.note
      .map((n: Json) => str(n?.text))
      .filter(Boolean)
      .join(" / ");
    add("Notes", notes || undefined);
  }
  const narrative = narrativeText(r);
  add("Narrative (as text)", narrative);
  return rows;
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

export function patientName(p: Json): string | undefined {
  const names: Json[] = Array.isArray(p?.name) ? p.name : [];
  const pick = names.find((n) => n?.use === "official") ?? names.find((n) => n?.use === "usual") ?? names[0];
  if (!pick) return undefined;
  if (str(pick.text)) return pick.text;
  const given = Array.isArray(pick.given) ? pick.given.filter((g: unknown) => typeof g === "string").join(" ") : "";
  const family = str(pick.family) ?? "";
  const full = `${given} ${family}`.trim();
  return full || undefined;
}

export function patientIdentifier(p: Json): string | undefined {
  const ids: Json[] = Array.isArray(p?.identifier) ? p.identifier : [];
  const isMrn = (i: Json) => Array.isArray(i?.type?.coding) && i.type.coding.some((c: Json) => c?.code === "MR");
  const pick = ids.find(isMrn) ?? ids.find((i) => str(i?.value));
  if (!pick || !str(pick.value)) return undefined;
  const label = conceptText(pick.type) ?? (isMrn(pick) ? "MRN" : undefined);
  return label ? `${label} ${pick.value}` : pick.value;
}

/** Whole years between a birth date and the as-of date. */
export function ageOn(birthDate: unknown, asOf: string): number | null {
  const b = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(str(birthDate) ?? "");
  const a = /^(\d{4})-(\d{2})-(\d{2})/.exec(asOf);
  if (!b || !a) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? 1), Number(b[3] ?? 1)];
  const [ay, am, ad] = [Number(a[1]), Number(a[2]), Number(a[3])];
  let age = ay - by;
  if (am < bm || (am === bm && ad < bd)) age--;
  return age >= 0 ? age : null;
}

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

export function referenceList(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  return refs.map((x: Json) => str(x?.reference)).filter((x): x is string => !!x);
}

export function isImagingReport(r: Json): boolean {
  if (r?.resourceType !== "DiagnosticReport") return false;
  if (Array.isArray(r.imagingStudy) && r.imagingStudy.length) return true;
  const cats: Json[] = Array.isArray(r.category) ? r.category : r.category ? [r.category] : [];
  return (
    cats.some(
      (c) =>
        Array.isArray(c?.coding) && c.coding.some((cd: Json) => ["RAD", "LP29684-5", "IMG", "RX", "CT", "MR", "US"].includes(cd?.code)),
    ) || cats.some((c) => /radiolog|imaging/i.test(conceptText(c) ?? ""))
  );
}

export interface ImagingRow {
  key: string;
  date: string | null;
  modality: string;
  site: string;
  description: string;
  conclusion?: string;
  evidence: string[];
}

/**
 * Imaging studies and imaging reports, newest first. A report pointing at a study (imagingStudy)
 * is shown on the study's row; a report without a loaded study gets its own row.
 */
export function imagingRows(resources: Iterable<FhirResource>): ImagingRow[] {
  const studies: Json[] = [];
  const reports: Json[] = [];
  for (const r of resources) {
    if (r.resourceType === "ImagingStudy") studies.push(r);
    else if (isImagingReport(r)) reports.push(r);
  }
  const byStudy = new Map<string, Json[]>();
  const loose: Json[] = [];
  const studyRefs = new Set(studies.map((s) => refOf(s)));
  for (const rep of reports) {
    const targets = referenceList(rep.imagingStudy).filter((x) => studyRefs.has(x));
    if (targets.length === 0) loose.push(rep);
    for (const t of targets) byStudy.set(t, [...(byStudy.get(t) ?? []), rep]);
  }
  const reportText = (rep: Json) =>
    str(rep.conclusion) ?? (Array.isArray(rep.conclusionCode) ? conceptText(rep.conclusionCode) : undefined) ?? narrativeText(rep);
  const rows: ImagingRow[] = studies.map((s) => {
    const reps = byStudy.get(refOf(s)) ?? [];
    const conclusions = reps.map(reportText).filter(Boolean) as string[];
    return {
      key: refOf(s),
      date: str(s.started) ?? (reps[0] ? (effectiveDate(reps[0]) ?? null) : null),
      modality: imagingModalities(s).join(", ") || "unknown",
      site: imagingBodySites(s).join(", ") || "site not coded",
      description: str(s.description) ?? conceptText(s.procedureCode) ?? "Imaging study",
      conclusion: conclusions.join(" / ") || undefined,
      evidence: [refOf(s), ...reps.map((x) => refOf(x))],
    };
  });
  for (const rep of loose) {
    rows.push({
      key: refOf(rep),
      date: effectiveDate(rep) ?? null,
      modality: modalityFromReport(rep) ?? "not stated",
      site: "see report",
      description: conceptText(rep.code) ?? "Imaging report",
      conclusion: reportText(rep),
      evidence: [refOf(rep)],
    });
  }
  rows.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
  return rows;
}

function modalityFromReport(rep: Json): string | undefined {
  const t = `${conceptText(rep.code) ?? ""}`;
  if (/\bCT\b|computed tomograph/i.test(t)) return "CT";
  if (/\bMRI?\b|magnetic resonance/i.test(t)) return "MR";
  if (/ultrasound|\bUS\b|sonograph/i.test(t)) return "US";
  if (/x-?ray|radiograph/i.test(t)) return "CR/DX";
  return undefined;
}

/** A short label for an evidence reference: "Observation · Calcium · 2024-05-01". */
export function evidenceLabel(ref: string, r: FhirResource | undefined): string {
  const type = ref.split("/")[0] ?? "Resource";
  if (!r) return `${type} (not loaded)`;
  const title = resourceTitle(r);
  const d = effectiveDate(r);
  const v = valueText(r);
  const parts = [title];
  if (v && r.resourceType === "Observation") parts.push(v);
  if (d && r.resourceType !== "Patient") parts.push(formatDate(d));
  return `${type}: ${parts.join(" · ")}`;
}
