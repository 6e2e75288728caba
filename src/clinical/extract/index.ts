/**
 * One pass over a patient's resources to the Facts the rules read. Skips (and notes) what §5 says
 * to skip; never fills in a missing value.
 */
import type { Resource } from "fhir/r4";
import { LAB_KEYS, WRITTEN_BY_APP_TAG } from "../codes";
import { Notes, plural } from "../dataQuality";
import { parseDay, parseIsoDate, type Day } from "../dates";
import { isObject, refOf, str, subjectPatientId, type Json } from "../json";
import { LabDictionaries, LabSeries } from "../labStore";
import type { Facts } from "../model";
import { unavailableScopes } from "../scopes";
import { cmp } from "../order";
import type { AssessOptions } from "../types";
import { readDocuments, unreadAsUnavailable, type Outcomes } from "./documents";
import { READERS, skip, typeLabel, type ExtractContext } from "./readers";
import { SeenIds } from "./seen";

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
      deceased: picked.json ? deceasedOf(picked.json) : null,
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
    implausible: [],
    medications: [],
    unread: [],
    notes,
    unavailable: { scopes: unavailableScopes(options.unavailable), entries: [...(options.unavailable ?? [])] },
    read: { conditions: 0, results: 0, reports: 0, imagingStudies: 0, documents: 0, notRead: 0 },
  };
  if (!picked.json) notes.add("patient-missing", null, () => "No Patient resource: age and sex unknown.");
  else if (!birthDate) notes.add("birthdate-missing", facts.patient.ref, () => "No birth date: age unknown, R-AGE not evaluated.");
  else notePatientDates(facts, birthDate);

  const ctx: ExtractContext = { facts, asOf, birthDate, queued: [], studies: new Map(), observationSites: new Map() };
  const seen = new SeenIds(resources); // duplicates by id per type
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i] as unknown;
    if (!isObject(r) || typeof r.resourceType !== "string") {
      notes.add("malformed", null, (n) => `${plural(n, "entry", "entries")} without a resourceType skipped.`);
      continue;
    }
    const type = r.resourceType;
    const ref = refOf(r as unknown as Resource, i);
    if (typeof r.id === "string" && seen.seenBefore(type, r.id, i)) {
      skip(notes, "duplicate", ref, type, "given more than once: the first copy used");
      continue;
    }
    if (type === "Patient") {
      if (r !== picked.json) skip(notes, "other-patient", ref, type, "of another patient ignored");
      continue;
    }
    const subject = subjectPatientId(r);
    if (subject !== undefined && picked.id !== "unknown" && subject !== picked.id) {
      skip(notes, "other-patient", ref, type, "of another patient ignored");
      continue;
    }
    if (writtenByApp(r)) {
      skip(notes, "written-by-app", ref, type, "written by this app from an earlier assessment: not used as evidence");
      continue;
    }
    const read = READERS[type];
    if (!read) continue;
    try {
      read(r, ref, i, ctx);
    } catch {
      unreadable(notes, ref, type);
    }
  }
  // Reports and notes after studies: a report's modality and sites can come from its study.
  const outcomes: Outcomes = new Map((options.attachments ?? []).map((t) => [t.key, t.outcome]));
  outcomes.pending = options.attachmentsPending === true;
  readDocuments(ctx, outcomes);
  for (const u of unreadAsUnavailable(facts)) {
    facts.unavailable.entries.push(u);
    for (const scope of unavailableScopes([u])) facts.unavailable.scopes.add(scope);
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
  f.medications.sort(byDayThenRef);
  f.lesions.sort((a, b) => byDayThenRef(a, b) || cmp(a.siteGroup, b.siteGroup) || cmp(String(a.laterality), String(b.laterality)));
}

/** §6 AGE: a deceased patient (deceasedDateTime, or deceasedBoolean true). */
function deceasedOf(p: Json): { day: Day | null } | null {
  const day = parseDay(p.deceasedDateTime);
  if (day) return { day };
  return p.deceasedBoolean === true ? { day: null } : null;
}

/** §6 AGE: age counted to the date of death (with a note); unknown before the birth date, never negative. */
function notePatientDates(facts: Facts, birthDate: Day): void {
  const { ref, deceased } = facts.patient;
  const end = deceased?.day && deceased.day.n < facts.asOf.n ? deceased.day : facts.asOf;
  if (end.n < birthDate.n)
    facts.notes.add(
      "birthdate-after-as-of",
      ref,
      () => `Birth date ${birthDate.iso} is after ${end.iso}: age unknown, R-AGE not evaluated.`,
    );
  if (deceased?.day && deceased.day.n <= facts.asOf.n)
    facts.notes.add("patient-deceased", ref, () => `Patient deceased on ${deceased.day!.iso}: age counted to the date of death.`);
  else if (deceased && !deceased.day)
    facts.notes.add("patient-deceased", ref, () => "Patient recorded as deceased without a date of death: age unknown.");
}

/** Carries the write-back's tag (codes.ts, WRITTEN_BY_APP_TAG). */
function writtenByApp(resource: Json): boolean {
  const tags = isObject(resource.meta) ? resource.meta.tag : undefined;
  return (
    Array.isArray(tags) &&
    tags.some((tag) => isObject(tag) && tag.system === WRITTEN_BY_APP_TAG.system && tag.code === WRITTEN_BY_APP_TAG.code)
  );
}
