/** What a resource is and says, as a title, plain-text rows and a one-line evidence label. */
import {
  conceptText,
  effectiveDate,
  formatDate,
  imagingBodySites,
  imagingModalities,
  narrativeText,
  referenceRangeText,
  statusText,
  str,
  valueText,
  type FhirResource,
} from "./fhirText";
import { patientIdentifier, patientName } from "./patientText";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

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
