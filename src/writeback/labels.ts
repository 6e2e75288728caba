import type { Assessment, Lesion, SiteGroup } from "../clinical/types";

export const SITE_LABELS: Record<SiteGroup, string> = {
  "hand-wrist": "hand/wrist",
  "shoulder-elbow": "shoulder/elbow",
  "hip-pelvis": "hip/pelvis",
  spine: "spine",
  trunk: "back/chest wall",
  "lower-limb": "lower limb",
  other: "other site",
};

export const DEFAULT_APP_NAME = "Calcinosis decision support";

export function capitalize(text: string): string {
  return text.length ? text[0].toUpperCase() + text.slice(1) : text;
}

/** "left shoulder/elbow", "spine", "right back/chest wall", "bilateral hip/pelvis". */
export function siteText(lesion: Pick<Lesion, "siteGroup" | "laterality">): string {
  const site = SITE_LABELS[lesion.siteGroup] ?? lesion.siteGroup;
  return lesion.laterality ? `${lesion.laterality} ${site}` : site;
}

/** "12 cm", "8.8 cm"; never more than one decimal. */
export function cm(value: number): string {
  return `${Math.round(value * 10) / 10} cm`;
}

/** Date part of an ISO date/dateTime, or null. */
export function day(date: string | null | undefined): string | null {
  return date ? date.slice(0, 10) : null;
}

/**
 * The date of each evidence reference, as far as the Assessment knows it (lesion dates, lab result
 * dates). Items without a date in the Assessment are cited without one.
 */
export function evidenceDates(assessment: Assessment): Map<string, string> {
  const dates = new Map<string, string>();
  const put = (ref: string | undefined, date: string | null | undefined) => {
    const d = day(date);
    if (ref && d && !dates.has(ref)) dates.set(ref, d);
  };
  // A lesion's measurements date their own reports; the lesion's date is its latest measurement's.
  for (const lesion of assessment.lesions) for (const m of lesion.measurements ?? []) for (const ref of m.evidence) put(ref, m.date);
  for (const lesion of assessment.lesions) for (const ref of lesion.evidence) put(ref, lesion.date);
  for (const summary of Object.values(assessment.labs)) {
    if (!summary) continue;
    if (summary.latest) put(summary.latest.evidence, summary.latest.date);
    for (const result of summary.history ?? []) put(result.evidence, result.date);
  }
  for (const growth of assessment.growth ?? []) {
    if (growth.evidence.length === 2) {
      put(growth.evidence[0], growth.fromDate);
      put(growth.evidence[1], growth.toDate);
    }
  }
  return dates;
}

/** "DiagnosticReport/dr-1 (2024-05-02), Condition/c-7". */
export function citeEvidence(evidence: readonly string[] | undefined, dates: ReadonlyMap<string, string>): string {
  const refs = [...new Set(evidence ?? [])];
  if (refs.length === 0) return "no source resource";
  return refs.map((ref) => (dates.has(ref) ? `${ref} (${dates.get(ref)})` : ref)).join(", ");
}

/** "Practitioner/123" from a fhirUser (relative, absolute or versioned); other text as given. */
export function userLabel(fhirUser: string | null | undefined): string | null {
  if (!fhirUser) return null;
  const match = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(fhirUser);
  return match ? `${match[1]}/${match[2]}` : fhirUser;
}

/** A sentence as written by a person: trimmed, ending with one full stop. */
export function asSentence(text: string): string {
  return text.trim().replace(/\.?$/, ".");
}

/** A reason as a sentence of its own: capitalised, one full stop ("" stays ""). */
export function sentence(reason: string): string {
  const text = reason.trim();
  return text ? capitalize(asSentence(text)) : text;
}
