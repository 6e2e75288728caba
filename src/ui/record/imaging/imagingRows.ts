/** The imaging table's rows: studies with their reports, and reports whose study was not loaded. */
import {
  conceptText,
  effectiveDate,
  imagingBodySites,
  imagingModalities,
  narrativeText,
  refOf,
  str,
  type FhirResource,
} from "../../evidence/fhirText";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

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
