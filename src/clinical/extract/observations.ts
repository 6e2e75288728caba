/**
 * Observations: lab results (code or panel component), SSc antibodies, and calcinosis findings with
 * a body site and a size (value or dimension components).
 */
import {
  ANTIBODY_LOINC,
  CALCINOSIS,
  LAB_LABELS,
  LAB_LOINC,
  LESION_SIZE_LOINC,
  LESION_SIZE_SNOMED,
  RADIOGRAPHIC_CALCIFICATION,
  TUMORAL_CALCINOSIS,
  codingInSet,
  isLoincSystem,
  isSnomed,
  type AntibodyKey,
} from "../codes";
import type { Day } from "../dates";
import { plural } from "../dataQuality";
import { asArray, codings, conceptText, isObject, notesText, str, type Json } from "../json";
import type { LabSeries } from "../labStore";
import type { AntibodyResult, Facts } from "../model";
import { CALCIFICATION_RE, PC_DOC_RE, findAffirmed } from "../text";
import type { LabKey } from "../types";
import { labUnitFactor, lengthToCm, readUnit, type UnitInput, type UnitOutcome, type UnitSource } from "../units";
import { noteImplausible, plausible } from "./plausibility";
import { siteOfConcepts } from "./sites";
import { comparatorOf, readInterpretation, readRange, readValue, type Comparator, type ReadValue } from "./values";

type CodeHit = { kind: "lab"; key: LabKey } | { kind: "antibody"; key: AntibodyKey };

const LOINC_INDEX = new Map<string, CodeHit>();
for (const [key, codes] of Object.entries(LAB_LOINC)) for (const c of codes) LOINC_INDEX.set(c, { kind: "lab", key: key as LabKey });
for (const [key, codes] of Object.entries(ANTIBODY_LOINC))
  for (const c of codes) LOINC_INDEX.set(c, { kind: "antibody", key: key as AntibodyKey });

const SIZE_SNOMED = new Set<string>(LESION_SIZE_SNOMED);
const SIZE_LOINC = new Set<string>(LESION_SIZE_LOINC);

/** Antibody names for uncoded results (no LOINC coding). */
const ANTIBODY_TEXT: { re: RegExp; key: AntibodyKey }[] = [
  { re: /scl-?70|topoisomerase/i, key: "scl70" },
  { re: /centromere|\bACA\b|CENP/i, key: "centromere" },
  { re: /rna[- ]?pol(?:ymerase)?[- ]?(?:iii|3)/i, key: "rnaPol3" },
  { re: /pm[/-]?scl/i, key: "pmScl" },
  { re: /antinuclear|\bANA\b/i, key: "ana" },
];

const POSITIVE_SNOMED = new Set(["10828004", "260373001", "52101004"]);
const NEGATIVE_SNOMED = new Set(["260385009", "260415000", "2667000"]);
const POSITIVE_WORDS_RE = /\b(positive|detected|present|reactive)\b/i;
const NEGATIVE_WORDS_RE = /\b(negative|not detected|absent|non-?reactive|undetectable)\b/i;

function codeHit(cc: unknown): CodeHit | null {
  const list = codings(cc);
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (isLoincSystem(c.system) && typeof c.code === "string") {
      const hit = LOINC_INDEX.get(c.code.trim());
      if (hit) return hit;
    }
  }
  return null;
}

function hasLoinc(cc: unknown): boolean {
  return codings(cc).some((c) => isLoincSystem(c.system));
}

/** Round converted values to 2 decimals so that unit round trips do not cross a threshold (2.62 mmol/L is 10.50 mg/dL). */
function roundConverted(v: number): number {
  return Math.round(v * 100) / 100;
}

/** `sortKey`: the reference without its "Observation/" prefix (orders results of one day, see LabSeries). */
export function readObservation(obs: Json, ref: string, sortKey: string, day: Day | null, facts: Facts): void {
  const hit = codeHit(obs.code);
  if (hit?.kind === "lab") {
    addLab(hit.key, obs, ref, sortKey, day, facts);
    return;
  }
  if (hit?.kind === "antibody") {
    addAntibody(hit.key, obs, ref, day, facts);
    return;
  }
  // Panels: results in components.
  let componentHits = 0;
  for (const comp of asArray(obs.component)) {
    if (!isObject(comp)) continue;
    const ch = codeHit(comp.code);
    if (!ch) continue;
    componentHits++;
    if (ch.kind === "lab") addLab(ch.key, comp, ref, sortKey, day, facts);
    else addAntibody(ch.key, comp, ref, day, facts);
  }
  if (componentHits > 0) return;
  if (!hasLoinc(obs.code)) {
    const text = conceptText(obs.code);
    for (const a of ANTIBODY_TEXT) {
      if (a.re.test(text)) {
        addAntibody(a.key, obs, ref, day, facts);
        return;
      }
    }
  }
  readCalcinosisObservation(obs, ref, day, facts);
}

function addLab(key: LabKey, holder: Json, ref: string, sortKey: string, day: Day | null, facts: Facts): void {
  const notes = facts.notes;
  // Fast path (almost every lab result): a numeric valueQuantity; no intermediate objects.
  let value: number;
  let unitText: string | null;
  let source: UnitSource = "text";
  let comparator: Comparator | undefined;
  const q = holder.valueQuantity;
  if (isObject(q) && typeof q.value === "number" && Number.isFinite(q.value) && holder.dataAbsentReason === undefined) {
    value = q.value;
    const u = readUnit(q as UnitInput);
    unitText = u ? u.unit : null;
    if (u) source = u.source;
    comparator = comparatorOf(q.comparator);
  } else {
    const v = readValue(holder);
    if (v.kind !== "number") {
      noteNoNumber(notes, key, ref, v);
      return;
    }
    value = v.value;
    unitText = v.unit;
    source = v.unitSource ?? "text";
    comparator = v.comparator;
  }
  const unit = labUnitFactor(key, unitText, source);
  if (!unit.ok || unit.note) noteUnit(notes, key, ref, unit, unitText);
  const s = facts.labs[key];
  const i = s.push(ref, sortKey, day, unitText, comparator, readInterpretation(holder));
  s.setValue(i, value);
  if (unit.ok) {
    const canonical = unit.factor === 1 ? value : roundConverted(value * unit.factor);
    if (plausible(key, canonical, comparator)) s.setCanonical(i, canonical);
    else noteImplausible(facts, key, ref, canonical);
  }
  applyRange(s, i, holder, unitText);
  if (day === null) notes.add("no-date", ref, noDateText);
}

// The notes of addLab, out of it on purpose: a closure inside addLab that captured its variables
// would make V8 allocate a context on every call, for every result.

const noDateText = (n: number) => `${plural(n, "result")} without a date: not used for lookbacks or trends.`;

function noteNoNumber(notes: Facts["notes"], key: LabKey, ref: string, v: ReadValue): void {
  const label = LAB_LABELS[key];
  if (v.kind === "absent") {
    notes.add(
      "data-absent",
      ref,
      (n) => `${label}: ${plural(n, "result")} without a value (dataAbsentReason ${v.reason}): treated as missing.`,
      `${key}|${v.reason}`,
    );
  } else if (v.kind === "text") {
    notes.add(
      "value-unreadable",
      ref,
      (n) => `${label}: ${plural(n, "result")} with a text value that is not a number: left out of every rule.`,
      key,
    );
  } else {
    notes.add("no-value", ref, (n) => `${label}: ${plural(n, "result")} without a value: treated as missing.`, key);
  }
}

function noteUnit(notes: Facts["notes"], key: LabKey, ref: string, unit: UnitOutcome, unitText: string | null): void {
  const label = LAB_LABELS[key];
  if (unit.ok) {
    if (unit.note === "egfr-unit-assumed")
      notes.add("egfr-unit-assumed", ref, (n) => `eGFR: ${plural(n, "result")} in mL/min taken as per 1.73 m².`);
  } else if (unit.reason === "unit-missing") {
    notes.add(
      "unit-missing",
      ref,
      (n) =>
        `${label}: ${plural(n, "result")} without a unit, which cannot be interpreted: shown, left out of every rule (the test was done).`,
      key,
    );
  } else {
    notes.add(
      "unit-unknown",
      ref,
      (n) =>
        `${label}: ${plural(n, "result")} in "${unitText}", which cannot be interpreted: shown, left out of every rule (the test was done: not listed as missing).`,
      `${key}|${unitText}`,
    );
  }
}

/** The first reference range with a bound or text, in the canonical unit (a bound's own unit, else the result's). */
function applyRange(s: LabSeries, i: number, holder: Json, unitText: string | null): void {
  const bound = (q: Json) => readUnit(q as UnitInput) ?? (unitText ? { unit: unitText, source: "text" as const } : null);
  const ranges = holder.referenceRange;
  if (!Array.isArray(ranges)) return;
  for (let k = 0; k < ranges.length; k++) {
    const r: unknown = ranges[k];
    if (!isObject(r)) continue;
    let found = false;
    const low = r.low;
    if (isObject(low) && typeof low.value === "number" && Number.isFinite(low.value)) {
      found = true;
      const u = bound(low);
      const f = labUnitFactor(s.key, u?.unit ?? null, u?.source);
      if (f.ok) s.setLow(i, f.factor === 1 ? low.value : roundConverted(low.value * f.factor));
    }
    const high = r.high;
    if (isObject(high) && typeof high.value === "number" && Number.isFinite(high.value)) {
      found = true;
      const u = bound(high);
      const f = labUnitFactor(s.key, u?.unit ?? null, u?.source);
      if (f.ok) s.setHigh(i, f.factor === 1 ? high.value : roundConverted(high.value * f.factor));
    }
    if (typeof r.text === "string") {
      s.setRangeText(i, r.text);
      found = true;
    }
    if (found) return;
  }
}

function antibodyResult(holder: Json): AntibodyResult | null {
  const v = readValue(holder);
  if (v.kind === "absent" || v.kind === "none") return null;
  const interp = readInterpretation(holder);
  if (interp && ["POS", "DET", "H", "HH", "A", "AA"].includes(interp)) return "positive";
  if (interp && ["NEG", "ND", "N"].includes(interp)) return "negative";
  if (v.kind === "boolean") return v.value ? "positive" : "negative";
  if (v.kind === "concept") {
    for (const c of codings(v.concept)) {
      if (isSnomed(c.system) && typeof c.code === "string") {
        if (POSITIVE_SNOMED.has(c.code)) return "positive";
        if (NEGATIVE_SNOMED.has(c.code)) return "negative";
      }
    }
    const t = conceptText(v.concept);
    if (NEGATIVE_WORDS_RE.test(t)) return "negative";
    if (POSITIVE_WORDS_RE.test(t)) return "positive";
    return "unknown";
  }
  if (v.kind === "text") {
    if (NEGATIVE_WORDS_RE.test(v.text)) return "negative";
    if (POSITIVE_WORDS_RE.test(v.text)) return "positive";
    return "unknown";
  }
  // A number: positive only against the result's own range; a bound that cannot decide stays unknown.
  const range = readRange(holder);
  const high = range?.high?.value;
  if (high === undefined) return "unknown";
  if (v.comparator === "<" || v.comparator === "<=") return v.value <= high ? "negative" : "unknown";
  if (v.comparator === ">" || v.comparator === ">=") return v.value >= high ? "positive" : "unknown";
  return v.value > high ? "positive" : "negative";
}

function addAntibody(key: AntibodyKey, holder: Json, ref: string, day: Day | null, facts: Facts): void {
  const result = antibodyResult(holder);
  if (result === null) {
    facts.notes.add("no-value", ref, (n) => `Antibodies: ${plural(n, "result")} without a value: treated as missing.`, "antibody");
    return;
  }
  facts.antibodies.push({ key, ref, day, result });
}

const NEGATIVE_FINDING = (value: unknown): boolean => {
  if (!isObject(value)) return false;
  for (const c of codings(value)) if (isSnomed(c.system) && typeof c.code === "string" && NEGATIVE_SNOMED.has(c.code)) return true;
  return NEGATIVE_WORDS_RE.test(conceptText(value));
};

/** A calcinosis finding: coded (61778004, 6595006, 129750001, 129748009) or named, with or without site and size. */
function readCalcinosisObservation(obs: Json, ref: string, day: Day | null, facts: Facts): void {
  let tumoral = false;
  let calcCode = false;
  let radiographic = false;
  let sizeCode = false;
  for (const c of codings(obs.code)) {
    if (codingInSet(c.system, c.code, TUMORAL_CALCINOSIS)) tumoral = true;
    else if (codingInSet(c.system, c.code, CALCINOSIS)) calcCode = true;
    else if (codingInSet(c.system, c.code, RADIOGRAPHIC_CALCIFICATION)) radiographic = true;
    else if ((isSnomed(c.system) && SIZE_SNOMED.has(c.code ?? "")) || (isLoincSystem(c.system) && SIZE_LOINC.has(c.code ?? "")))
      sizeCode = true;
  }
  const text = [conceptText(obs.code), str(obs.valueString) ?? "", conceptText(obs.valueCodeableConcept), notesText(obs.note)]
    .filter(Boolean)
    .join(". ");
  // Cheap gate before any clause-level reading: most Observations of a large record stop here.
  const mayMention = CALCIFICATION_RE.test(text);
  CALCIFICATION_RE.lastIndex = 0;
  if (!tumoral && !calcCode && !radiographic && !mayMention) return;
  if (NEGATIVE_FINDING(obs.valueCodeableConcept)) return;
  const docText = tumoral ? conceptText(obs.code) || "tumoral calcinosis (coded)" : mayMention ? findAffirmed(text, PC_DOC_RE) : null;
  const calcText = calcCode ? conceptText(obs.code) || "calcinosis (coded)" : mayMention ? findAffirmed(text, CALCIFICATION_RE) : null;
  if (!docText && !calcText && !radiographic) return;

  const dims: number[] = [];
  const q = obs.valueQuantity;
  const v = readValue(obs);
  if (isObject(q) && v.kind === "number") {
    const cm = lengthToCm(v.value, v.unit);
    if (cm !== null) dims.push(Math.round(cm * 1000) / 1000);
    else
      facts.notes.add(
        "unit-unknown",
        ref,
        (n) => `Lesion size: ${plural(n, "value")} in "${v.unit}", not a length: left out of every rule.`,
        `size|${v.unit}`,
      );
  }
  for (const comp of asArray(obs.component)) {
    if (!isObject(comp)) continue;
    const isSize = codings(comp.code).some(
      (c) => (isSnomed(c.system) && SIZE_SNOMED.has(c.code ?? "")) || (isLoincSystem(c.system) && SIZE_LOINC.has(c.code ?? "")),
    );
    if (!isSize && !sizeCode) continue;
    const cv = readValue(comp);
    if (cv.kind !== "number") continue;
    const cm = lengthToCm(cv.value, cv.unit);
    if (cm !== null) dims.push(Math.round(cm * 1000) / 1000);
    else
      facts.notes.add(
        "unit-unknown",
        ref,
        (n) => `Lesion size: ${plural(n, "value")} in "${cv.unit}", not a length: left out of every rule.`,
        `size|${cv.unit}`,
      );
  }
  const sourceText = conceptText(obs.code) || text;
  if (docText) facts.pcDoc.push({ ref, day, text: docText, source: "Observation" });
  if (calcText && !docText) facts.calcinosis.push({ ref, day, text: calcText, source: "Observation" });
  if (radiographic && !docText && !calcText) facts.imagingCalcification.push({ ref, day, text: sourceText, source: "Observation" });

  const hasBodySite = obs.bodySite !== undefined;
  if (!hasBodySite) return;
  const site = siteOfConcepts(obs.bodySite) ?? { group: "other" as const, side: null };
  facts.lesions.push({
    siteGroup: site.group,
    laterality: site.side,
    maxDimensionCm: dims.length ? Math.max(...dims) : null,
    dimensionsCm: dims,
    date: day?.iso ?? null,
    evidence: [ref],
    sourceText,
    modality: null,
    day,
    pcDoc: !!docText,
    source: "Observation",
  });
}
