/**
 * Secondary-cause flags, clinical-spec.md §3. Each asks for review; none lowers the status. Every
 * result on record up to the assessment date is read (no lookback: a past hypercalcaemia still
 * deserves a look), in normalised units.
 */
import type { ConditionTag, Facts, LabFact } from "../model";
import { fmt } from "../order";
import * as T from "../thresholds";
import type { RuleItem } from "../types";
import { aboveUpper, describeResult, limitText, under, undecided, type Verdict } from "./compare";
import { item } from "./items";

interface Hit {
  fact: LabFact;
  verdict: Verdict;
  label: string;
}

function highs(list: readonly LabFact[], defaultMax: number | null, ruleId: Parameters<typeof aboveUpper>[2], facts: Facts, label: string): Hit[] {
  const out: Hit[] = [];
  for (const f of list) {
    const v = aboveUpper(f, defaultMax, ruleId, facts.notes);
    if (v.decided && v.above) out.push({ fact: f, verdict: v, label });
  }
  return out;
}

function latestHit(hits: readonly Hit[]): Hit {
  let best = hits[0]!;
  for (const h of hits) if ((h.fact.day?.n ?? -Infinity) >= (best.fact.day?.n ?? -Infinity)) best = h;
  return best;
}

function hitText(h: Hit, unit: string): string {
  return `${h.label} ${describeResult(h.fact)} (${limitText(h.verdict, unit)})`;
}

/** The nearest exact result of `other` within `maxDays` of each result of `list` (both sorted by day): linear. */
export function pairWithin(list: readonly LabFact[], other: readonly LabFact[], maxDays: number): [LabFact, LabFact][] {
  const a = list.filter((f) => f.day && f.canonical !== null && !f.comparator);
  const b = other.filter((f) => f.day && f.canonical !== null && !f.comparator);
  const out: [LabFact, LabFact][] = [];
  let j = 0;
  for (const x of a) {
    while (j + 1 < b.length && b[j + 1]!.day!.n <= x.day!.n) j++;
    let best: LabFact | null = null;
    for (const k of [j, j + 1]) {
      const y = b[k];
      if (!y) continue;
      const d = Math.abs(y.day!.n - x.day!.n);
      if (d <= maxDays && (!best || d < Math.abs(best.day!.n - x.day!.n))) best = y;
    }
    if (best) out.push([x, best]);
  }
  return out;
}

function conditionRefs(facts: Facts, tag: ConditionTag): string[] {
  return facts.conditions.filter((c) => c.tags.has(tag)).map((c) => c.ref);
}

function latestExact(list: readonly LabFact[]): LabFact | null {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.canonical !== null && list[i]!.day) return list[i]!;
  return null;
}

export function secondaryRules(facts: Facts): RuleItem[] {
  const out: RuleItem[] = [];
  const labs = facts.labs;

  // S-CA [C]: total Ca > 10.5 mg/dL, corrected Ca > 10.5 mg/dL (Ca + 0.8 x (4.0 - albumin)), ionised Ca > 1.30 mmol/L.
  const caHits = [
    ...highs(labs.calcium, T.S_CA_TOTAL_MAX_MG_DL, "S-CA", facts, "Total calcium"),
    ...highs(labs.correctedCalcium, T.S_CA_CORRECTED_MAX_MG_DL, "S-CA", facts, "Corrected calcium"),
  ];
  const ionHits = highs(labs.ionizedCalcium, T.S_CA_IONISED_MAX_MMOL_L, "S-CA", facts, "Ionised calcium");
  const computed: { ca: LabFact; alb: LabFact; value: number }[] = [];
  for (const [ca, alb] of pairWithin(labs.calcium, labs.albumin, T.G_ALB_MAX_DAYS)) {
    const value = ca.canonical! + T.CA_CORRECTION_FACTOR * (T.CA_CORRECTION_ALBUMIN_G_DL - alb.canonical!);
    if (value > T.S_CA_CORRECTED_MAX_MG_DL) computed.push({ ca, alb, value });
  }
  const caDx = conditionRefs(facts, "hypercalcaemia");
  let sCa = false;
  if (caHits.length || ionHits.length || computed.length || caDx.length) {
    sCa = true;
    const parts: string[] = [];
    if (caHits.length) parts.push(hitText(latestHit(caHits), "mg/dL"));
    if (ionHits.length) parts.push(hitText(latestHit(ionHits), "mmol/L"));
    if (computed.length) {
      const c = computed[computed.length - 1]!;
      parts.push(`albumin-corrected calcium ${fmt(c.value)} mg/dL on ${c.ca.day!.iso} (calcium ${fmt(c.ca.canonical!)} mg/dL, albumin ${fmt(c.alb.canonical!)} g/dL; above ${fmt(T.S_CA_CORRECTED_MAX_MG_DL)} mg/dL)`);
    }
    if (caDx.length) parts.push("hypercalcaemia diagnosed");
    out.push(item("S-CA", `Hypercalcaemia: ${parts.join("; ")}.`, [
      ...caHits.map((h) => h.fact.ref), ...ionHits.map((h) => h.fact.ref), ...computed.flatMap((c) => [c.ca.ref, c.alb.ref]), ...caDx,
    ]));
  }

  // S-PHOS [C, M]: phosphate > 4.5 mg/dL (hyperphosphataemic tumoral calcinosis).
  const pHits = highs(labs.phosphate, T.S_PHOS_MAX_MG_DL, "S-PHOS", facts, "Phosphate");
  const pDx = conditionRefs(facts, "hyperphosphataemia");
  if (pHits.length || pDx.length) {
    const parts = pHits.length ? [hitText(latestHit(pHits), "mg/dL")] : [];
    if (pDx.length) parts.push("hyperphosphataemia diagnosed");
    out.push(item("S-PHOS", `Hyperphosphataemia: ${parts.join("; ")}; consider hyperphosphataemic tumoral calcinosis.`, [...pHits.map((h) => h.fact.ref), ...pDx]));
  }

  // S-CKD [C]: eGFR < 60 on results > 90 days apart, creatinine above range, or a CKD/ESRD/dialysis diagnosis.
  const ckd = ckdFlag(facts);
  if (ckd) out.push(ckd.item);

  // S-PTH [C, M]: PTH > 65 pg/mL; with S-CA consider primary, with eGFR < 60 or 25-OH-D < 20 consider secondary.
  const pthHits = highs(labs.pth, T.S_PTH_MAX_PG_ML, "S-PTH", facts, "PTH");
  if (pthHits.length) {
    const considers: string[] = [];
    const evidence = pthHits.map((h) => h.fact.ref);
    if (sCa) considers.push("with hypercalcaemia: consider primary hyperparathyroidism");
    const egfr = latestExact(labs.egfr);
    const vitd = latestExact(labs.vitaminD25);
    const lowEgfr = egfr && under(egfr.canonical!, egfr.comparator, T.S_PTH_SECONDARY_EGFR_BELOW) === true;
    const lowVitd = vitd && under(vitd.canonical!, vitd.comparator, T.S_PTH_SECONDARY_VITD_BELOW) === true;
    if (lowEgfr || lowVitd || ckd) {
      const why = [lowEgfr || ckd ? "reduced kidney function" : null, lowVitd ? `25-OH-D below ${T.S_PTH_SECONDARY_VITD_BELOW} ng/mL` : null].filter(Boolean).join(" and ");
      considers.push(`with ${why}: consider secondary hyperparathyroidism`);
      if (lowEgfr) evidence.push(egfr!.ref);
      if (lowVitd) evidence.push(vitd!.ref);
    }
    const detail = considers.length ? considers.join("; ") : "review for hyperparathyroidism";
    out.push(item("S-PTH", `Raised PTH: ${hitText(latestHit(pthHits), "pg/mL")}; ${detail}.`, evidence, detail));
  }

  // S-VITD [C]: 25-OH-D > 100 ng/mL review; > 150 ng/mL hypervitaminosis D likely.
  const dHits = highs(labs.vitaminD25, T.S_VITD_REVIEW_NG_ML, "S-VITD", facts, "25-OH vitamin D");
  if (dHits.length) {
    const top = dHits.reduce((a, b) => (b.fact.canonical! > a.fact.canonical! ? b : a));
    const likely = top.fact.comparator?.startsWith("<") ? false : top.fact.canonical! > T.S_VITD_LIKELY_NG_ML;
    const tier = likely ? `above ${T.S_VITD_LIKELY_NG_ML} ng/mL: hypervitaminosis D likely` : "review for vitamin D excess";
    out.push(item("S-VITD", `Vitamin D excess: ${hitText(top, "ng/mL")}; ${tier}.`, dHits.map((h) => h.fact.ref), likely ? "likely" : "review"));
  }

  // S-CAXP [C]: calcium x phosphate product > 55 mg2/dL2, on results drawn within 30 days of each other.
  let bestPair: { ca: LabFact; p: LabFact; product: number } | null = null;
  for (const [p, ca] of pairWithin(labs.phosphate, labs.calcium, T.S_CAXP_PAIR_MAX_DAYS)) {
    const product = ca.canonical! * p.canonical!;
    if (product > T.S_CAXP_MAX && (!bestPair || product > bestPair.product)) bestPair = { ca, p, product };
  }
  if (bestPair) {
    out.push(item("S-CAXP", `Calcium x phosphate product ${fmt(bestPair.product)} mg²/dL² (calcium ${describeResult(bestPair.ca)}, phosphate ${describeResult(bestPair.p)}; above ${T.S_CAXP_MAX}).`, [bestPair.ca.ref, bestPair.p.ref]));
  }

  // S-DX [M]: a coded secondary cause.
  const causes: [ConditionTag, string][] = [
    ["hpt-primary", "primary hyperparathyroidism"],
    ["hpt-secondary", "secondary hyperparathyroidism"],
    ["hpt", "hyperparathyroidism"],
    ["hypervitaminosis-d", "hypervitaminosis D"],
    ["sarcoidosis", "sarcoidosis"],
    ["malignancy", "malignancy"],
    ["milk-alkali", "milk-alkali syndrome"],
    ["pxe", "pseudoxanthoma elasticum"],
    ["dermatomyositis", "dermatomyositis"],
  ];
  const named: string[] = [];
  const dxRefs: string[] = [];
  for (const [tag, name] of causes) {
    const r = conditionRefs(facts, tag);
    if (r.length) {
      named.push(name);
      dxRefs.push(...r);
    }
  }
  if (named.length) out.push(item("S-DX", `Secondary cause of calcinosis on record: ${named.join(", ")}.`, dxRefs));
  return out;
}

function ckdFlag(facts: Facts): { item: RuleItem; tier: string | null } | null {
  const labs = facts.labs;
  const parts: string[] = [];
  const evidence: string[] = [];
  // eGFR < 60 on two results more than 90 days apart (chronicity).
  const low = labs.egfr.filter((f) => {
    if (f.canonical === null || !f.day) return false;
    const r = under(f.canonical, f.comparator, T.S_CKD_EGFR_BELOW);
    if (r === undefined) undecided(f, "S-CKD", T.S_CKD_EGFR_BELOW, facts.notes);
    return r === true;
  });
  if (low.length >= 2 && low[low.length - 1]!.day!.n - low[0]!.day!.n > T.S_CKD_MIN_DAYS_APART) {
    const first = low[0]!;
    const last = low[low.length - 1]!;
    parts.push(`eGFR below ${T.S_CKD_EGFR_BELOW} from ${first.day!.iso} to ${last.day!.iso} (${describeResult(first)}; ${describeResult(last)})`);
    evidence.push(first.ref, last.ref);
  }
  // Creatinine above the result's own range (the spec gives no default).
  const creat = highs(labs.creatinine, null, "S-CKD", facts, "Creatinine");
  if (creat.length) {
    parts.push(hitText(latestHit(creat), "mg/dL"));
    evidence.push(...creat.map((h) => h.fact.ref));
  }
  const dx = conditionRefs(facts, "ckd");
  if (dx.length) {
    parts.push("CKD, ESRD or dialysis on record");
    evidence.push(...dx);
  }
  if (parts.length === 0) return null;
  // Tiers: the latest eGFR, or the stage coded.
  const latest = latestExact(labs.egfr);
  let tier: string | null = null;
  if (conditionRefs(facts, "ckd-stage5").length || (latest && under(latest.canonical!, latest.comparator, T.S_CKD_TIER_FAILURE_BELOW) === true)) {
    tier = `eGFR < ${T.S_CKD_TIER_FAILURE_BELOW}`;
  } else if (conditionRefs(facts, "ckd-stage4").length || (latest && under(latest.canonical!, latest.comparator, T.S_CKD_TIER_SEVERE_BELOW) === true)) {
    tier = `eGFR < ${T.S_CKD_TIER_SEVERE_BELOW}`;
  }
  if (tier && latest && !evidence.includes(latest.ref) && under(latest.canonical!, latest.comparator, T.S_CKD_TIER_SEVERE_BELOW) === true) evidence.push(latest.ref);
  const text = `Kidney disease: ${parts.join("; ")}${tier ? ` (tier ${tier})` : ""}; consider renal (secondary) calcinosis.`;
  return { item: item("S-CKD", text, evidence, tier), tier };
}
