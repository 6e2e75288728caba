/** SSc antibody results: positive, negative or unknown, from a code, a word, a flag or a number against its range. */
import { isSnomed, type AntibodyKey } from "../codes";
import type { Day } from "../dates";
import { plural } from "../dataQuality";
import { codings, conceptText, type Json } from "../json";
import type { AntibodyResult, Facts } from "../model";
import { NEGATIVE_SNOMED, NEGATIVE_WORDS_RE, POSITIVE_SNOMED, POSITIVE_WORDS_RE, readInterpretation, readRange, readValue } from "./values";

/** Antibody names for uncoded results (no LOINC coding). */
export const ANTIBODY_TEXT: { re: RegExp; key: AntibodyKey }[] = [
  { re: /scl-?70|topoisomerase/i, key: "scl70" },
  { re: /centromere|\bACA\b|CENP/i, key: "centromere" },
  { re: /rna[- ]?pol(?:ymerase)?[- ]?(?:iii|3)/i, key: "rnaPol3" },
  { re: /pm[/-]?scl/i, key: "pmScl" },
  { re: /antinuclear|\bANA\b/i, key: "ana" },
];

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

export function addAntibody(key: AntibodyKey, holder: Json, ref: string, day: Day | null, facts: Facts): void {
  const result = antibodyResult(holder);
  if (result === null) {
    facts.notes.add("no-value", ref, (n) => `Antibodies: ${plural(n, "result")} without a value: treated as missing.`, "antibody");
    return;
  }
  facts.antibodies.push({ key, ref, day, result });
}
