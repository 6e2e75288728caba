/** Calcinosis findings recorded as Observations: coded or named, with a body site and a size where given. */
import {
  CALCINOSIS,
  LESION_SIZE_LOINC,
  LESION_SIZE_SNOMED,
  RADIOGRAPHIC_CALCIFICATION,
  TUMORAL_CALCINOSIS,
  codingInSet,
  isLoincSystem,
  isSnomed,
} from "../codes";
import type { Day } from "../dates";
import { plural } from "../dataQuality";
import type { Coding } from "fhir/r4";
import { asArray, codings, conceptText, isObject, notesText, str, type Json } from "../json";
import type { Facts } from "../model";
import { CALCIFICATION_RE, PC_DOC_RE, findAffirmed } from "../text";
import { lengthToCm } from "../units";
import { siteOfConcepts } from "./sites";
import { NEGATIVE_SNOMED, NEGATIVE_WORDS_RE, readValue } from "./values";

const SIZE_SNOMED = new Set<string>(LESION_SIZE_SNOMED);
const SIZE_LOINC = new Set<string>(LESION_SIZE_LOINC);

function isSizeCoding(c: Coding): boolean {
  return (isSnomed(c.system) && SIZE_SNOMED.has(c.code ?? "")) || (isLoincSystem(c.system) && SIZE_LOINC.has(c.code ?? ""));
}

const NEGATIVE_FINDING = (value: unknown): boolean => {
  if (!isObject(value)) return false;
  for (const c of codings(value)) if (isSnomed(c.system) && typeof c.code === "string" && NEGATIVE_SNOMED.has(c.code)) return true;
  return NEGATIVE_WORDS_RE.test(conceptText(value));
};

/** A calcinosis finding: coded (61778004, 6595006, 129750001, 129748009) or named, with or without site and size. */
export function readCalcinosisObservation(obs: Json, ref: string, day: Day | null, facts: Facts): void {
  let tumoral = false;
  let calcCode = false;
  let radiographic = false;
  let sizeCode = false;
  for (const c of codings(obs.code)) {
    if (codingInSet(c.system, c.code, TUMORAL_CALCINOSIS)) tumoral = true;
    else if (codingInSet(c.system, c.code, CALCINOSIS)) calcCode = true;
    else if (codingInSet(c.system, c.code, RADIOGRAPHIC_CALCIFICATION)) radiographic = true;
    else if (isSizeCoding(c)) sizeCode = true;
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

  const dims = lesionDimensionsCm(obs, sizeCode, ref, facts);
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

/** Sizes in cm: the Observation's own value, and every size component (every numeric one when the code itself is a size). */
function lesionDimensionsCm(obs: Json, sizeCode: boolean, ref: string, facts: Facts): number[] {
  const dims: number[] = [];
  const addLength = (value: number, unit: string | null) => {
    const cm = lengthToCm(value, unit);
    if (cm !== null) dims.push(Math.round(cm * 1000) / 1000);
    else
      facts.notes.add(
        "unit-unknown",
        ref,
        (n) => `Lesion size: ${plural(n, "value")} in "${unit}", not a length: left out of every rule.`,
        `size|${unit}`,
      );
  };
  const v = readValue(obs);
  if (isObject(obs.valueQuantity) && v.kind === "number") addLength(v.value, v.unit);
  for (const comp of asArray(obs.component)) {
    if (!isObject(comp)) continue;
    if (!sizeCode && !codings(comp.code).some(isSizeCoding)) continue;
    const cv = readValue(comp);
    if (cv.kind === "number") addLength(cv.value, cv.unit);
  }
  return dims;
}
