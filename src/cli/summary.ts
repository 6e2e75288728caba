/**
 * What the screening's worklist keeps of each Assessment (a few fields, so a cohort of any size
 * fits in memory), and the per-patient Assessment file it links to.
 */
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Assessment } from "../clinical/types";

export interface WorklistRow {
  patientId: string;
  status: string;
  ageYears: number | null;
  sex: string | null;
  redFlags: string[];
  gaps: string[];
  findings: string[];
  lesions: number;
  largestLesionCm: number | null;
  /** The Assessment file, relative to the folder it was written to. */
  file: string;
}

/** A file name for a patient id: the id itself when it is a plain FHIR id, else a hash of it. */
export function assessmentFileName(patientId: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/.test(patientId)) return `${patientId}.json`;
  return `id-${createHash("sha256").update(patientId).digest("hex").slice(0, 32)}.json`;
}

export function writeAssessmentFile(dir: string, a: Assessment): void {
  writeFileSync(join(dir, assessmentFileName(a.patient.id)), `${JSON.stringify(a, null, 2)}\n`);
}

const uniq = (xs: string[]) => [...new Set(xs)];

export function summarise(a: Assessment): WorklistRow {
  const sizes = a.lesions.map((l) => l.maxDimensionCm).filter((x): x is number => typeof x === "number");
  return {
    patientId: a.patient.id,
    status: a.status,
    ageYears: a.patient.ageYears,
    sex: a.patient.sex,
    redFlags: uniq(a.redFlags.map((r) => r.ruleId)),
    gaps: uniq(a.workupGaps.map((g) => g.ruleId)),
    findings: uniq(a.findings.map((f) => f.ruleId)),
    lesions: a.lesions.length,
    largestLesionCm: sizes.length ? Math.max(...sizes) : null,
    file: assessmentFileName(a.patient.id),
  };
}
