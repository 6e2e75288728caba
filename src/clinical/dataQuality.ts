/**
 * Data-quality notes (clinical-spec.md §5): what was skipped or read with a caveat, and why. Notes
 * are grouped by code and detail so that a record with 10,000 skipped results gives one note listing
 * them, not 10,000 notes.
 */
import type { DataQualityNote } from "./types";

/** Every note code the engine emits, with what it means (the UI may show these). */
export const DATA_QUALITY_CODES = {
  "status-entered-in-error": "Resource marked entered-in-error: skipped.",
  "status-cancelled": "Result or study cancelled: skipped.",
  "report-preliminary": "Preliminary report: skipped until final.",
  "condition-refuted": "Diagnosis refuted: skipped.",
  "imaging-not-performed": "Imaging study only registered (not performed): not counted as imaging.",
  "unit-unknown": "A unit that cannot be converted: value shown, left out of every rule.",
  "unit-missing": "A value without a unit: shown, left out of every rule.",
  "egfr-unit-assumed": "eGFR reported in mL/min: taken as per 1.73 m2.",
  "data-absent": "dataAbsentReason: a missing value, never zero.",
  "no-value": "A result without a value: treated as missing.",
  "value-unreadable": "A text value that is not a number: shown, left out of every rule.",
  "bound-undecided": 'A bounded value ("<5") that cannot decide a rule: the rule stays undecided.',
  "no-date": "A result without a date: not used for lookbacks, growth or trends.",
  "not-read": "A report or note attachment that could not be read (format, scan, size, not loaded): listed, never taken as silence.",
  "after-as-of": "Dated after the assessment date: ignored.",
  "other-patient": "Belongs to another patient: ignored.",
  "written-by-app": "Written by this app from an earlier assessment: not used as evidence.",
  duplicate: "The same resource more than once: the first copy used.",
  malformed: "A resource that could not be read: skipped.",
  "patient-missing": "No Patient resource: age and sex unknown.",
  "birthdate-missing": "No birth date: age unknown, R-AGE not evaluated.",
  "birthdate-after-as-of": "Birth date after the assessment date: age unknown, never negative.",
  "patient-deceased": "Patient deceased: age counted to the date of death (unknown without one).",
  "implausible-value": "A value outside physiological limits: shown, left out of every rule.",
  "onset-missing": "SSc without an onset or recorded date: disease duration unknown.",
  "subset-conflict": "SSc coded both diffuse and limited.",
} as const;

export type DataQualityCode = keyof typeof DATA_QUALITY_CODES;

interface Entry {
  code: DataQualityCode;
  text: (count: number) => string;
  /** In the order noted, repeats included (sorted and made distinct once, by `list()`). */
  refs: string[];
  count: number;
}

export class Notes {
  /** By code, then by detail: no key string is built per occurrence (a record may note every result). */
  private entries = new Map<DataQualityCode, Map<string, Entry>>();

  /** Record one occurrence. `text` builds the note from the number of occurrences. */
  add(code: DataQualityCode, ref: string | null, text: (count: number) => string, detail = ""): void {
    let byDetail = this.entries.get(code);
    if (!byDetail) this.entries.set(code, (byDetail = new Map()));
    let e = byDetail.get(detail);
    if (!e) {
      e = { code, text, refs: [], count: 0 };
      byDetail.set(detail, e);
    }
    e.count++;
    if (ref) e.refs.push(ref);
  }

  has(code: DataQualityCode): boolean {
    return (this.entries.get(code)?.size ?? 0) > 0;
  }

  list(): DataQualityNote[] {
    const out: DataQualityNote[] = [];
    for (const byDetail of this.entries.values()) {
      for (const e of byDetail.values()) out.push({ code: e.code, text: e.text(e.count), evidence: sortedDistinct(e.refs) });
    }
    // Stable: notes of one code keep the order they were first recorded in (as with one flat map).
    return out.sort((a, b) => cmp(a.code, b.code) || cmp(a.text, b.text));
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct strings of a list, sorted. */
function sortedDistinct(list: string[]): string[] {
  const sorted = list.sort(cmp);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  return out;
}
