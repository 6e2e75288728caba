/**
 * One reader per resource type: what §5 says to skip (statuses, dates after the assessment), then
 * the type's own reading. Reports and notes are queued and read after the pass, so that a report's
 * modality and sites can come from the ImagingStudy it links to.
 */
import type { DataQualityCode, Notes } from "../dataQuality";
import { parseDay, type Day } from "../dates";
import { asArray, effectiveDay, isObject, statusCode, str, type Json } from "../json";
import type { Facts } from "../model";
import { conditionOnset, readCondition } from "./conditions";
import { readImagingStudy, readProcedure, type StudyInfo } from "./imaging";
import type { Site } from "./placement";
import { siteOfConcepts } from "./sites";
import { readMedication } from "./medications";
import { readObservation } from "./observations";

const PLURAL_TYPE: Record<string, string> = {
  Observation: "Observations",
  Condition: "Conditions",
  ImagingStudy: "imaging studies",
  DiagnosticReport: "reports",
  DocumentReference: "notes",
  Procedure: "procedures",
  MedicationRequest: "medication orders",
  MedicationStatement: "medication statements",
  Patient: "Patient resources",
};

export function typeLabel(type: string, n: number): string {
  return n === 1 ? type : (PLURAL_TYPE[type] ?? `${type} resources`);
}

/** What the readers share during one extraction pass. */
export interface ExtractContext {
  facts: Facts;
  asOf: Day;
  birthDate: Day | null;
  /** Reports and notes, read after the pass (readDocuments). */
  queued: { json: Json; ref: string; day: Day | null }[];
  studies: Map<string, StudyInfo>;
  /** Body sites of Observations by reference: a report's lesions may lie there (§6 SITE). */
  observationSites: Map<string, Site>;
}

export type Reader = (r: Json, ref: string, position: number, ctx: ExtractContext) => void;

export function skip(notes: Notes, code: DataQualityCode, ref: string, type: string, why: string): void {
  notes.add(code, ref, (n) => `${n} ${typeLabel(type, n)} ${why}.`, type);
}

function late(ctx: ExtractContext, ref: string, type: string): void {
  skip(ctx.facts.notes, "after-as-of", ref, type, `dated after ${ctx.asOf.iso} ignored`);
}

/** entered-in-error and cancelled resources are skipped with a note (§5); true when skipped. */
function skippedStatus(r: Json, ref: string, ctx: ExtractContext): boolean {
  const status = str(r.status);
  if (status !== "entered-in-error" && status !== "cancelled") return false;
  skip(
    ctx.facts.notes,
    status === "cancelled" ? "status-cancelled" : "status-entered-in-error",
    ref,
    String(r.resourceType),
    `with status ${status} skipped`,
  );
  return true;
}

const observation: Reader = (r, ref, position, ctx) => {
  if (skippedStatus(r, ref, ctx)) return;
  const day = effectiveDay(r);
  if (day && day.n > ctx.asOf.n) return late(ctx, ref, "Observation");
  ctx.facts.read.results++;
  if (r.bodySite !== undefined) {
    const site = siteOfConcepts(r.bodySite);
    if (site) ctx.observationSites.set(ref, site);
  }
  readObservation(r, ref, typeof r.id === "string" && r.id ? r.id : `#${position}`, day, ctx.facts);
};

const condition: Reader = (r, ref, _position, ctx) => {
  const verification = statusCode(r.verificationStatus);
  if (verification === "refuted" || verification === "entered-in-error") {
    const code = verification === "refuted" ? "condition-refuted" : "status-entered-in-error";
    return skip(ctx.facts.notes, code, ref, "Condition", `with verification status ${verification} skipped`);
  }
  // Known as of the assessment date: recorded by then (or, without a recorded date, begun by then).
  const known = parseDay(r.recordedDate) ?? conditionOnset(r, ctx.birthDate);
  if (known && known.n > ctx.asOf.n) return late(ctx, ref, "Condition");
  ctx.facts.read.conditions++;
  ctx.facts.conditions.push(readCondition(r, ref, ctx.facts));
};

const imagingStudy: Reader = (r, ref, _position, ctx) => {
  if (skippedStatus(r, ref, ctx)) return;
  if (str(r.status) === "registered") {
    return skip(ctx.facts.notes, "imaging-not-performed", ref, "ImagingStudy", "registered but not yet performed: not counted as imaging");
  }
  const day = parseDay(r.started) ?? firstSeriesStart(r);
  if (day && day.n > ctx.asOf.n) return late(ctx, ref, "ImagingStudy");
  ctx.facts.read.imagingStudies++;
  readImagingStudy(r, ref, day, ctx.facts);
  const last = ctx.facts.imaging[ctx.facts.imaging.length - 1];
  if (last && last.ref === ref)
    ctx.studies.set(ref, { modalities: last.modalities, siteGroups: last.siteGroups, sides: last.sides, regions: last.regions ?? [] });
};

const diagnosticReport: Reader = (r, ref, _position, ctx) => {
  if (skippedStatus(r, ref, ctx)) return;
  if (str(r.status) === "preliminary")
    return skip(ctx.facts.notes, "report-preliminary", ref, "DiagnosticReport", "with status preliminary skipped until final");
  const day = effectiveDay(r);
  if (day && day.n > ctx.asOf.n) return late(ctx, ref, "DiagnosticReport");
  ctx.queued.push({ json: r, ref, day });
};

const documentReference: Reader = (r, ref, _position, ctx) => {
  if (str(r.status) === "entered-in-error" || str(r.docStatus) === "entered-in-error") {
    return skip(ctx.facts.notes, "status-entered-in-error", ref, "DocumentReference", "with status entered-in-error skipped");
  }
  const day = parseDay(r.date) ?? (isObject(r.context) && isObject(r.context.period) ? parseDay(r.context.period.start) : null);
  if (day && day.n > ctx.asOf.n) return late(ctx, ref, "DocumentReference");
  ctx.queued.push({ json: r, ref, day });
};

const procedure: Reader = (r, ref, _position, ctx) => {
  const status = str(r.status);
  if (status === "entered-in-error" || status === "not-done") return;
  const day = parseDay(r.performedDateTime) ?? (isObject(r.performedPeriod) ? parseDay(r.performedPeriod.start) : null);
  if (day && day.n > ctx.asOf.n) return late(ctx, ref, "Procedure");
  readProcedure(r, ref, day, ctx.facts);
};

const medication: Reader = (r, ref, _position, ctx) => {
  if (str(r.status) === "entered-in-error")
    return skip(ctx.facts.notes, "status-entered-in-error", ref, String(r.resourceType), "with status entered-in-error skipped");
  readMedication(r, ref, ctx.asOf, ctx.facts);
};

export const READERS: Partial<Record<string, Reader>> = {
  Observation: observation,
  Condition: condition,
  ImagingStudy: imagingStudy,
  DiagnosticReport: diagnosticReport,
  DocumentReference: documentReference,
  Procedure: procedure,
  MedicationRequest: medication,
  MedicationStatement: medication,
};

function firstSeriesStart(study: Json): Day | null {
  let best: Day | null = null;
  for (const s of asArray(study.series)) {
    if (!isObject(s)) continue;
    const d = parseDay(s.started);
    if (d && (!best || d.n < best.n)) best = d;
  }
  return best;
}
