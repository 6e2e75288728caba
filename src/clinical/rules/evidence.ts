/**
 * Evidence of calcinosis, clinical-spec.md §3 "Eligibility and evidence": PC-DOC, PC-SIZE, PC-CALC,
 * PC-IMG. Findings speak per lesion (§6 LESION): each item names the lesion it is about; what is
 * not about any lesion (a coded diagnosis without a site) gets one item of its own. PC-IMG only
 * when neither PC-SIZE nor PC-DOC fired.
 */
import type { Facts, TextFact } from "../model";
import { fmt } from "../order";
import { PC_MIN_SIZE_CM } from "../thresholds";
import type { RuleItem } from "../types";
import { item } from "./items";
import { describeLesion, isPcSized, type LesionRecord } from "./lesions";

export interface EvidenceResult {
  findings: RuleItem[];
  pcDoc: boolean;
  pcSize: boolean;
  pcCalc: boolean;
  pcImg: boolean;
  /** References of the lesions of >= 2 cm (not "elsewhere" for R-CALC). */
  pcSizedRefs: Set<string>;
}

function quote(t: TextFact | undefined): string | undefined {
  if (!t) return undefined;
  const s = t.text.replace(/\s+/g, " ").trim();
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

function latest(list: readonly { day: { iso: string } | null }[]): string {
  const dated = list.filter((x) => x.day);
  return dated.length ? ` (latest ${dated[dated.length - 1]!.day!.iso})` : "";
}

function records(n: number): string {
  return n === 1 ? "1 record" : `${n} records`;
}

function withLesion(i: RuleItem, r: LesionRecord | null): RuleItem {
  if (r) i.lesionId = r.lesion.id;
  return i;
}

/**
 * Facts split by the lesion they are about: a fact belongs to each lesion (of `eligible`) that one
 * of its mentions comes from; the rest are about no lesion.
 */
function perLesion(
  list: readonly TextFact[],
  eligible: readonly LesionRecord[],
  mentionCounts: (r: LesionRecord, ref: string) => boolean,
): { byLesion: [LesionRecord, TextFact[]][]; rest: TextFact[] } {
  const byLesion: [LesionRecord, TextFact[]][] = [];
  const used = new Set<TextFact>();
  for (const r of eligible) {
    const mine = list.filter((t) => mentionCounts(r, t.ref));
    mine.forEach((t) => used.add(t));
    if (mine.length) byLesion.push([r, mine]);
  }
  return { byLesion, rest: list.filter((t) => !used.has(t)) };
}

/** §6 CUTIS: the wording of calcinosis without a pseudotumoral size. */
function unsizedText(r: LesionRecord | null): string {
  const where = r ? ` (${r.lesion.siteLabel})` : "";
  const peak = r?.lesion.peakDimensionCm;
  if (peak != null)
    return `Calcinosis on record${where}, largest deposit measured ${fmt(peak)} cm: pseudotumoral is ${fmt(PC_MIN_SIZE_CM)} cm or more.`;
  return `Calcinosis on record${where}, size not documented: measure the largest deposit (pseudotumoral = ${fmt(PC_MIN_SIZE_CM)} cm or more).`;
}

export function evidenceRules(facts: Facts, lesions: readonly LesionRecord[]): EvidenceResult {
  const findings: RuleItem[] = [];
  const fromRef = (r: LesionRecord, ref: string, pcOnly = false) =>
    r.mentions.some((m) => m.evidence.includes(ref) && (!pcOnly || m.pcDoc));

  // PC-DOC [M]: tumoral/pseudotumoral calcinosis coded (61778004) or named in a diagnosis or report.
  const pcDoc = facts.pcDoc.length > 0;
  const doc = perLesion(facts.pcDoc, lesions, (r, ref) => fromRef(r, ref, true));
  for (const [r, list] of doc.byLesion) {
    const text = `Pseudotumoral calcinosis is named or coded for the ${r.lesion.siteLabel} in ${records(list.length)}${latest(list)}.`;
    findings.push(
      withLesion(
        item(
          "PC-DOC",
          text,
          list.map((t) => t.ref),
          quote(list.at(-1)),
        ),
        r,
      ),
    );
  }
  if (doc.rest.length) {
    const text = `Pseudotumoral calcinosis is named or coded in ${records(doc.rest.length)}${latest(doc.rest)}.`;
    findings.push(
      item(
        "PC-DOC",
        text,
        doc.rest.map((t) => t.ref),
        quote(doc.rest.at(-1)),
      ),
    );
  }

  // PC-SIZE [Z, M]: a calcified lesion whose largest dimension (latest measurement) is >= 2.0 cm; one item per lesion.
  const sized = lesions.filter((r) => isPcSized(r.lesion));
  for (const r of sized) {
    const l = r.lesion;
    const peak = l.peakDimensionCm != null && l.peakDimensionCm > l.maxDimensionCm! ? ` (largest ever ${fmt(l.peakDimensionCm)} cm)` : "";
    const text = `Calcified lesion of ${fmt(l.maxDimensionCm!)} cm (>= ${fmt(PC_MIN_SIZE_CM)} cm): ${describeLesion(l)}${peak}.`;
    findings.push(withLesion(item("PC-SIZE", text, l.evidence, l.sourceText), r));
  }
  const pcSizedRefs = new Set(sized.flatMap((r) => r.lesion.evidence));

  // PC-CALC [C]: calcinosis documented (Condition, Observation, note) without a size of >= 2 cm.
  const calcFacts = facts.calcinosis.filter((t) => !pcSizedRefs.has(t.ref));
  const unsized = lesions.filter((r) => !isPcSized(r.lesion) && !r.pcDoc);
  const calc = perLesion(calcFacts, unsized, (r, ref) => fromRef(r, ref));
  const others = calc.rest.filter((t) => !lesions.some((r) => fromRef(r, t.ref) && (isPcSized(r.lesion) || r.pcDoc)));
  for (const [r, list] of calc.byLesion)
    findings.push(
      withLesion(
        item(
          "PC-CALC",
          unsizedText(r),
          list.map((t) => t.ref),
          quote(list.at(-1)),
        ),
        r,
      ),
    );
  if (others.length)
    findings.push(
      item(
        "PC-CALC",
        unsizedText(null),
        others.map((t) => t.ref),
        quote(others.at(-1)),
      ),
    );
  const pcCalc = calc.byLesion.length > 0 || others.length > 0;

  // PC-IMG [D]: imaging text suggests soft-tissue calcification; only when neither PC-SIZE nor
  // PC-DOC fired and no diagnosis names the calcinosis yet (§6 LESION).
  const diagnosed = pcDoc || sized.length > 0 || facts.calcinosis.some((t) => t.source === "Condition");
  let pcImg = false;
  if (!diagnosed && facts.imagingCalcification.length > 0) {
    pcImg = true;
    const img = perLesion(facts.imagingCalcification, lesions, (r, ref) => fromRef(r, ref));
    for (const [r, list] of img.byLesion) findings.push(withLesion(imgItem(list, r), r));
    if (img.rest.length) findings.push(imgItem(img.rest, null));
  }
  return { findings, pcDoc, pcSize: sized.length > 0, pcCalc, pcImg, pcSizedRefs };
}

function imgItem(list: readonly TextFact[], r: LesionRecord | null): RuleItem {
  const where = r ? ` (${r.lesion.siteLabel})` : "";
  const text = r?.cutis
    ? unsizedText(r)
    : list.every((t) => t.hedged)
      ? `Imaging raises soft-tissue calcification or calcinosis as a possibility${where}, not confirmed${latest(list)}.`
      : `Imaging describes soft-tissue calcification${where} and no calcinosis diagnosis is on record${latest(list)}.`;
  return item(
    "PC-IMG",
    text,
    list.map((t) => t.ref),
    quote(list.at(-1)),
  );
}
