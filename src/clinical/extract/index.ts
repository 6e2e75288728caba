/**
 * One pass over a patient's resources to the Facts the rules read. Skips (and notes) what §5 says
 * to skip; never fills in a missing value.
 */
import type { Resource } from "fhir/r4";
import { WRITTEN_BY_APP_TAG } from "../codes";
import { Notes, plural } from "../dataQuality";
import { parseDay, parseIsoDate, type Day } from "../dates";
import { asArray, effectiveDay, isObject, refOf, statusCode, str, subjectPatientId, type Json } from "../json";
import { LabDictionaries, LabSeries } from "../labStore";
import type { Facts } from "../model";
import { unavailableScopes } from "../scopes";
import { cmp } from "../order";
import type { AssessOptions, LabKey } from "../types";
import { conditionOnset, readCondition } from "./conditions";
import { readDiagnosticReport, readImagingStudy, readProcedure, type StudyInfo } from "./imaging";
import { readObservation } from "./observations";
import { SeenIds } from "./seen";

const LAB_KEYS: LabKey[] = [
  "calcium",
  "ionizedCalcium",
  "correctedCalcium",
  "albumin",
  "phosphate",
  "pth",
  "vitaminD25",
  "creatinine",
  "egfr",
  "boneAlp",
];

const PLURAL_TYPE: Record<string, string> = {
  Observation: "Observations",
  Condition: "Conditions",
  ImagingStudy: "imaging studies",
  DiagnosticReport: "reports",
  Procedure: "procedures",
  Patient: "Patient resources",
};

function typeLabel(type: string, n: number): string {
  return n === 1 ? type : (PLURAL_TYPE[type] ?? `${type} resources`);
}

function newLabs(): Facts["labs"] {
  const dict = new LabDictionaries();
  return Object.fromEntries(LAB_KEYS.map((k) => [k, new LabSeries(k, dict)])) as unknown as Facts["labs"];
}

function pickPatient(resources: readonly Resource[], options: AssessOptions): { json: Json | null; id: string } {
  const patients: Json[] = [];
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (isObject(r) && r.resourceType === "Patient") patients.push(r as unknown as Json);
  }
  if (options.patientId) {
    const json = patients.find((p) => p.id === options.patientId) ?? null;
    return { json, id: options.patientId };
  }
  if (patients.length === 0) return { json: null, id: "unknown" };
  const sorted = [...patients].sort((a, b) => cmp(String(a.id ?? ""), String(b.id ?? "")));
  return { json: sorted[0]!, id: str(sorted[0]!.id) ?? "unknown" };
}

export function extractFacts(resources: readonly Resource[], options: AssessOptions): Facts {
  const asOf = parseIsoDate(options.asOf);
  if (!asOf) throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(options.asOf)}`);
  const notes = new Notes();
  const picked = pickPatient(resources, options);
  const birthDate = picked.json ? parseDay(picked.json.birthDate) : null;
  const facts: Facts = {
    asOf,
    patient: {
      id: picked.id,
      ref: picked.json ? `Patient/${picked.id}` : null,
      birthDate,
      sex: picked.json ? (str(picked.json.gender) ?? null) : null,
      found: picked.json !== null,
    },
    conditions: [],
    labs: newLabs(),
    antibodies: [],
    lesions: [],
    imaging: [],
    pcDoc: [],
    calcinosis: [],
    imagingCalcification: [],
    neuro: [],
    complicationWithCalcinosis: [],
    biopsies: [],
    notes,
    unavailable: { scopes: unavailableScopes(options.unavailable), entries: [...(options.unavailable ?? [])] },
    read: { conditions: 0, results: 0, reports: 0, imagingStudies: 0 },
  };
  if (!picked.json) notes.add("patient-missing", null, () => "No Patient resource: age and sex unknown.");
  else if (!birthDate) notes.add("birthdate-missing", facts.patient.ref, () => "No birth date: age unknown, R-AGE not evaluated.");

  // Duplicates by id per type.
  const seen = new SeenIds(resources);
  const reports: { json: Json; ref: string; day: Day | null }[] = [];
  const studies = new Map<string, StudyInfo>();
  const skip = (code: Parameters<Notes["add"]>[0], ref: string, type: string, why: string) =>
    notes.add(code, ref, (n) => `${n} ${typeLabel(type, n)} ${why}.`, type);
  const late = (ref: string, type: string) => skip("after-as-of", ref, type, `dated after ${asOf.iso} ignored`);

  for (let i = 0; i < resources.length; i++) {
    const r = resources[i] as unknown;
    if (!isObject(r) || typeof r.resourceType !== "string") {
      notes.add("malformed", null, (n) => `${plural(n, "entry", "entries")} without a resourceType skipped.`);
      continue;
    }
    const type = r.resourceType;
    const ref = refOf(r as unknown as Resource, i);
    if (typeof r.id === "string" && seen.seenBefore(type, r.id, i)) {
      skip("duplicate", ref, type, "given more than once: the first copy used");
      continue;
    }
    if (type === "Patient") {
      if (r !== picked.json) skip("other-patient", ref, type, "of another patient ignored");
      continue;
    }
    const subject = subjectPatientId(r);
    if (subject !== undefined && picked.id !== "unknown" && subject !== picked.id) {
      skip("other-patient", ref, type, "of another patient ignored");
      continue;
    }
    if (writtenByApp(r)) {
      skip("written-by-app", ref, type, "written by this app from an earlier assessment: not used as evidence");
      continue;
    }
    try {
      switch (type) {
        case "Observation": {
          const status = str(r.status);
          if (status === "entered-in-error" || status === "cancelled") {
            skip(status === "cancelled" ? "status-cancelled" : "status-entered-in-error", ref, type, `with status ${status} skipped`);
            break;
          }
          const day = effectiveDay(r);
          if (day && day.n > asOf.n) late(ref, type);
          else {
            facts.read.results++;
            readObservation(r, ref, typeof r.id === "string" && r.id ? r.id : `#${i}`, day, facts);
          }
          break;
        }
        case "Condition": {
          const verification = statusCode(r.verificationStatus);
          if (verification === "refuted" || verification === "entered-in-error") {
            skip(
              verification === "refuted" ? "condition-refuted" : "status-entered-in-error",
              ref,
              type,
              `with verification status ${verification} skipped`,
            );
            break;
          }
          // Known as of the assessment date: recorded by then (or, without a recorded date, begun by then).
          const recorded = parseDay(r.recordedDate);
          const known = recorded ?? conditionOnset(r, birthDate);
          if (known && known.n > asOf.n) late(ref, type);
          else {
            facts.read.conditions++;
            facts.conditions.push(readCondition(r, ref, facts));
          }
          break;
        }
        case "ImagingStudy": {
          const status = str(r.status);
          if (status === "entered-in-error" || status === "cancelled") {
            skip(status === "cancelled" ? "status-cancelled" : "status-entered-in-error", ref, type, `with status ${status} skipped`);
            break;
          }
          if (status === "registered") {
            skip("imaging-not-performed", ref, type, "registered but not yet performed: not counted as imaging");
            break;
          }
          const day = parseDay(r.started) ?? firstSeriesStart(r);
          if (day && day.n > asOf.n) {
            late(ref, type);
            break;
          }
          facts.read.imagingStudies++;
          readImagingStudy(r, ref, day, facts);
          const last = facts.imaging[facts.imaging.length - 1];
          if (last && last.ref === ref) studies.set(ref, { modalities: last.modalities, siteGroups: last.siteGroups });
          break;
        }
        case "DiagnosticReport": {
          const status = str(r.status);
          if (status === "entered-in-error" || status === "cancelled") {
            skip(status === "cancelled" ? "status-cancelled" : "status-entered-in-error", ref, type, `with status ${status} skipped`);
            break;
          }
          if (status === "preliminary") {
            skip("report-preliminary", ref, type, "with status preliminary skipped until final");
            break;
          }
          const day = effectiveDay(r);
          if (day && day.n > asOf.n) late(ref, type);
          else {
            facts.read.reports++;
            reports.push({ json: r, ref, day });
          }
          break;
        }
        case "Procedure": {
          const status = str(r.status);
          if (status === "entered-in-error" || status === "not-done") break;
          const day = parseDay(r.performedDateTime) ?? (isObject(r.performedPeriod) ? parseDay(r.performedPeriod.start) : null);
          if (day && day.n > asOf.n) late(ref, type);
          else readProcedure(r, ref, day, facts);
          break;
        }
        default:
          break;
      }
    } catch {
      unreadable(notes, ref, type);
    }
  }
  // Reports after studies, so that a report's modality can come from the study it links to.
  for (const rep of reports) {
    try {
      readDiagnosticReport(rep.json, rep.ref, rep.day, facts, studies);
    } catch {
      unreadable(notes, rep.ref, "DiagnosticReport");
    }
  }
  sortFacts(facts);
  return facts;
}

/**
 * A resource that could not be read. Out of the loop on purpose: a closure in the loop body that
 * captured the loop's variables would make V8 allocate a context for every resource.
 */
function unreadable(notes: Notes, ref: string, type: string): void {
  notes.add("malformed", ref, (n) => `${n} ${typeLabel(type, n)} could not be read and were skipped.`, type);
}

function firstSeriesStart(study: Json): Day | null {
  let best: Day | null = null;
  for (const s of asArray(study.series)) {
    if (!isObject(s)) continue;
    const d = parseDay(s.started);
    if (d && (!best || d.n < best.n)) best = d;
  }
  return best;
}

/** Day, then reference: every list the rules read is in this order, whatever the input order. */
export function byDayThenRef(
  a: { day: Day | null; ref?: string; evidence?: string[] },
  b: { day: Day | null; ref?: string; evidence?: string[] },
): number {
  const da = a.day ? a.day.n : Number.POSITIVE_INFINITY;
  const db = b.day ? b.day.n : Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const ra = a.ref ?? a.evidence?.[0] ?? "";
  const rb = b.ref ?? b.evidence?.[0] ?? "";
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

function sortFacts(f: Facts): void {
  for (const k of LAB_KEYS) f.labs[k].seal();
  f.antibodies.sort(byDayThenRef);
  f.conditions.sort(byDayThenRef);
  f.imaging.sort(byDayThenRef);
  f.pcDoc.sort(byDayThenRef);
  f.calcinosis.sort(byDayThenRef);
  f.imagingCalcification.sort(byDayThenRef);
  f.neuro.sort(byDayThenRef);
  f.complicationWithCalcinosis.sort(byDayThenRef);
  f.biopsies.sort(byDayThenRef);
  f.lesions.sort((a, b) => byDayThenRef(a, b) || cmp(a.siteGroup, b.siteGroup) || cmp(String(a.laterality), String(b.laterality)));
}

/** Carries the write-back's tag (codes.ts, WRITTEN_BY_APP_TAG). */
function writtenByApp(resource: Json): boolean {
  const tags = isObject(resource.meta) ? resource.meta.tag : undefined;
  return (
    Array.isArray(tags) &&
    tags.some((tag) => isObject(tag) && tag.system === WRITTEN_BY_APP_TAG.system && tag.code === WRITTEN_BY_APP_TAG.code)
  );
}
