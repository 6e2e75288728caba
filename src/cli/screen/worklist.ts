/**
 * The screening worklist: every assessed patient, most urgent first, as CSV. Urgency tiers:
 *   1 red flag (RF-*)                          4 possible
 *   2 probable/documented with G-SPINE/G-NEO   5 indeterminate (data to rule calcinosis out missing)
 *   3 other probable/documented                6 no evidence
 *                                              7 not applicable (no SSc)
 * Within a tier: documented before probable, more red flags first, larger lesion first, then id.
 */
import type { WorklistRow } from "../summary";

export const URGENT_GAPS = ["G-SPINE", "G-NEO"];

export function tierOf(r: WorklistRow): number {
  if (r.redFlags.length) return 1;
  const calcinosis = r.status === "probable" || r.status === "documented";
  if (calcinosis && r.gaps.some((g) => URGENT_GAPS.includes(g))) return 2;
  if (calcinosis) return 3;
  if (r.status === "possible") return 4;
  if (r.status === "no-evidence") return 6;
  if (r.status === "not-applicable") return 7;
  // "indeterminate", and any status this version does not know: never ranked as reassuring.
  return 5;
}

const STATUS_ORDER = ["documented", "probable", "possible", "indeterminate", "no-evidence", "not-applicable"];

export function sortWorklist(rows: WorklistRow[]): WorklistRow[] {
  const statusRank = (s: string) => (STATUS_ORDER.includes(s) ? STATUS_ORDER.indexOf(s) : 3);
  return [...rows].sort(
    (a, b) =>
      tierOf(a) - tierOf(b) ||
      statusRank(a.status) - statusRank(b.status) ||
      b.redFlags.length - a.redFlags.length ||
      (b.largestLesionCm ?? -1) - (a.largestLesionCm ?? -1) ||
      (a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0),
  );
}

/** A CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvField(value: string | number | null): string {
  let s = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  "rank",
  "tier",
  "patient_id",
  "status",
  "red_flags",
  "workup_gaps",
  "findings",
  "lesions",
  "largest_lesion_cm",
  "age_years",
  "sex",
  "patient_link",
  "assessment_file",
] as const;

export function worklistCsv(sorted: WorklistRow[], link: (id: string) => string): string {
  const lines = [CSV_COLUMNS.join(",")];
  sorted.forEach((r, k) => {
    const fields = [
      k + 1,
      tierOf(r),
      r.patientId,
      r.status,
      r.redFlags.join(" "),
      r.gaps.join(" "),
      r.findings.join(" "),
      r.lesions,
      r.largestLesionCm,
      r.ageYears,
      r.sex,
      link(r.patientId),
      `assessments/${r.file}`,
    ];
    lines.push(fields.map(csvField).join(","));
  });
  return `${lines.join("\r\n")}\r\n`;
}
