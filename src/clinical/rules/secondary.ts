/**
 * Secondary-cause flags, clinical-spec.md §3. Each asks for review; none lowers the status. Every
 * result on record up to the assessment date is read (no lookback: a past hypercalcaemia still
 * deserves a look), in normalised units.
 */
import type { LabSeries } from "../labStore";
import type { ConditionTag, Facts } from "../model";
import { fmt } from "../order";
import * as T from "../thresholds";
import type { RuleId, RuleItem } from "../types";
import { aboveUpperAt, describeResult, exceeds, limitText, under, undecidedAt, type Verdict } from "./compare";
import { item } from "./items";

/** A result above its upper limit: its row (a LabFact is built only for the one a text describes). */
interface Hit {
  series: LabSeries;
  row: number;
  verdict: Verdict;
  label: string;
}

/** The results above their upper limit. */
function highs(s: LabSeries, defaultMax: number | null, ruleId: RuleId, facts: Facts, label: string): Hit[] {
  const out: Hit[] = [];
  for (let i = 0; i < s.length; i++) {
    const v = aboveUpperAt(s, i, defaultMax, ruleId, facts.notes);
    if (v) out.push({ series: s, row: i, verdict: v, label });
  }
  return out;
}

const dayOfHit = (h: Hit) => (h.series.isDated(h.row) ? h.series.dayN(h.row) : -Infinity);
const refOfHit = (h: Hit) => h.series.ref(h.row);

/** The latest hit (the last of its day in series order). */
function latestHit(hits: readonly Hit[]): Hit {
  let best = hits[0]!;
  for (const h of hits) if (dayOfHit(h) >= dayOfHit(best)) best = h;
  return best;
}

function hitText(h: Hit, unit: string): string {
  return `${h.label} ${describeResult(h.series.fact(h.row))} (${limitText(h.verdict, unit)})`;
}

/**
 * For each exact result of `a` (dated, converted, not a bound; on or after `fromDay`), the nearest
 * exact result of `b` within `maxDays`, the earlier one on a tie: `visit(i, j)` with their rows.
 * Both series are in day order, so this is one linear pass.
 */
export function pairWithin(
  a: LabSeries,
  b: LabSeries,
  maxDays: number,
  visit: (i: number, j: number) => void,
  fromDay = Number.NEGATIVE_INFINITY,
): void {
  // j and next: the last exact result of b on or before the day (or b's first), and the one after it.
  let j = b.nextExact(-1);
  if (j < 0) return;
  let next = b.nextExact(j);
  for (let i = a.nextExact(-1); i >= 0; i = a.nextExact(i)) {
    const day = a.dayN(i);
    if (day < fromDay) continue;
    while (next >= 0 && b.dayN(next) <= day) {
      j = next;
      next = b.nextExact(j);
    }
    let best = -1;
    const bestD = Math.abs(b.dayN(j) - day);
    if (bestD <= maxDays) best = j;
    if (next >= 0) {
      const d = Math.abs(b.dayN(next) - day);
      if (d <= maxDays && (best < 0 || d < bestD)) best = next;
    }
    if (best >= 0) visit(i, best);
  }
}

function conditionRefs(facts: Facts, tag: ConditionTag): string[] {
  return facts.conditions.filter((c) => c.tags.has(tag)).map((c) => c.ref);
}

/** The last dated result with a canonical value (a bound counts), or -1. */
function latestExact(s: LabSeries): number {
  for (let i = s.length - 1; i >= 0; i--) if (s.hasCanonical(i) && s.isDated(i)) return i;
  return -1;
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
  // Albumin-corrected calcium above the limit: the references of every such pair, and the last pair.
  const computedRefs: string[] = [];
  let lastComputed: { ca: number; alb: number; value: number; limit: number; own: boolean } | null = null;
  // §6 S-CA: compared with the source calcium's own upper limit where it has one.
  pairWithin(labs.calcium, labs.albumin, T.G_ALB_MAX_DAYS, (ca, alb) => {
    const value = labs.calcium.canonical(ca) + T.CA_CORRECTION_FACTOR * (T.CA_CORRECTION_ALBUMIN_G_DL - labs.albumin.canonical(alb));
    const limit = labs.calcium.hasHigh(ca) ? labs.calcium.high(ca) : T.S_CA_CORRECTED_MAX_MG_DL;
    if (value > limit) {
      computedRefs.push(labs.calcium.ref(ca), labs.albumin.ref(alb));
      lastComputed = { ca, alb, value, limit, own: labs.calcium.hasHigh(ca) };
    }
  });
  const computed = lastComputed as { ca: number; alb: number; value: number; limit: number; own: boolean } | null;
  const caDx = conditionRefs(facts, "hypercalcaemia");
  let sCa = false;
  if (caHits.length || ionHits.length || computed || caDx.length) {
    sCa = true;
    const parts: string[] = [];
    if (caHits.length) parts.push(hitText(latestHit(caHits), "mg/dL"));
    if (ionHits.length) parts.push(hitText(latestHit(ionHits), "mmol/L"));
    if (computed) {
      const ca = labs.calcium.fact(computed.ca);
      const alb = labs.albumin.fact(computed.alb);
      parts.push(
        `albumin-corrected calcium ${fmt(computed.value)} mg/dL on ${ca.day!.iso} (calcium ${fmt(ca.canonical!)} mg/dL, albumin ${fmt(alb.canonical!)} g/dL; above ${computed.own ? "the laboratory's upper limit" : "the default limit"} ${fmt(computed.limit)} mg/dL)`,
      );
    }
    if (caDx.length) parts.push("hypercalcaemia diagnosed");
    out.push(
      item("S-CA", `Hypercalcaemia: ${parts.join("; ")}.`, [...caHits.map(refOfHit), ...ionHits.map(refOfHit), ...computedRefs, ...caDx]),
    );
  }

  // S-PHOS [C, M]: phosphate > 4.5 mg/dL (hyperphosphataemic tumoral calcinosis).
  const pHits = highs(labs.phosphate, T.S_PHOS_MAX_MG_DL, "S-PHOS", facts, "Phosphate");
  const pDx = conditionRefs(facts, "hyperphosphataemia");
  if (pHits.length || pDx.length) {
    const parts = pHits.length ? [hitText(latestHit(pHits), "mg/dL")] : [];
    if (pDx.length) parts.push("hyperphosphataemia diagnosed");
    out.push(
      item("S-PHOS", `Hyperphosphataemia: ${parts.join("; ")}; consider hyperphosphataemic tumoral calcinosis.`, [
        ...pHits.map(refOfHit),
        ...pDx,
      ]),
    );
  }

  // S-CKD [C]: eGFR < 60 on results > 90 days apart, creatinine above range, or a CKD/ESRD/dialysis diagnosis.
  const ckd = ckdFlag(facts);
  if (ckd) out.push(ckd.item);

  // S-PTH [C, M]: PTH > 65 pg/mL; with S-CA consider primary, with eGFR < 60 or 25-OH-D < 20 consider secondary.
  const pthHits = highs(labs.pth, T.S_PTH_MAX_PG_ML, "S-PTH", facts, "PTH");
  if (pthHits.length) {
    const considers: string[] = [];
    const evidence = pthHits.map(refOfHit);
    if (sCa) considers.push("with hypercalcaemia: consider primary hyperparathyroidism");
    const e = latestExact(labs.egfr);
    const d = latestExact(labs.vitaminD25);
    const egfr = e >= 0 ? labs.egfr.fact(e) : null;
    const vitd = d >= 0 ? labs.vitaminD25.fact(d) : null;
    const lowEgfr = egfr && under(egfr.canonical!, egfr.comparator, T.S_PTH_SECONDARY_EGFR_BELOW) === true;
    const lowVitd = vitd && under(vitd.canonical!, vitd.comparator, T.S_PTH_SECONDARY_VITD_BELOW) === true;
    if (lowEgfr || lowVitd || ckd) {
      const why = [
        lowEgfr || ckd ? "reduced kidney function" : null,
        lowVitd ? `25-OH-D below ${T.S_PTH_SECONDARY_VITD_BELOW} ng/mL` : null,
      ]
        .filter(Boolean)
        .join(" and ");
      considers.push(`with ${why}: consider secondary hyperparathyroidism`);
      if (lowEgfr) evidence.push(egfr!.ref);
      if (lowVitd) evidence.push(vitd!.ref);
    }
    // §6 TEXT: the advice once, in the detail; the text says what was found.
    const detail = considers.length ? considers.join("; ") : "review for hyperparathyroidism";
    out.push(item("S-PTH", `Raised PTH: ${hitText(latestHit(pthHits), "pg/mL")}.`, evidence, capitalise(detail)));
  }

  // S-VITD [C]: 25-OH-D > 100 ng/mL review; > 150 ng/mL hypervitaminosis D likely.
  const dHits = highs(labs.vitaminD25, T.S_VITD_REVIEW_NG_ML, "S-VITD", facts, "25-OH vitamin D");
  if (dHits.length) {
    const top = dHits.reduce((a, b) => (b.series.canonical(b.row) > a.series.canonical(a.row) ? b : a));
    const topFact = top.series.fact(top.row);
    // §6 BOUNDS: ">150 ng/mL" is above 150; a bound that cannot tell stays at "review".
    const likely = exceeds(topFact.canonical!, topFact.comparator, T.S_VITD_LIKELY_NG_ML) === true;
    const tier = likely
      ? `Above ${T.S_VITD_LIKELY_NG_ML} ng/mL: hypervitaminosis D likely.`
      : `Review for vitamin D excess (hypervitaminosis D likely above ${T.S_VITD_LIKELY_NG_ML} ng/mL).`;
    out.push(item("S-VITD", `Vitamin D excess: ${hitText(top, "ng/mL")}.`, dHits.map(refOfHit), tier));
  }

  // S-CAXP [C]: calcium x phosphate product > 55 mg2/dL2, on results drawn within 30 days of each other.
  let best = { ca: -1, p: -1, product: 0 };
  pairWithin(labs.phosphate, labs.calcium, T.S_CAXP_PAIR_MAX_DAYS, (p, ca) => {
    const product = labs.calcium.canonical(ca) * labs.phosphate.canonical(p);
    if (product > T.S_CAXP_MAX && (best.ca < 0 || product > best.product)) best = { ca, p, product };
  });
  if (best.ca >= 0) {
    const ca = labs.calcium.fact(best.ca);
    const p = labs.phosphate.fact(best.p);
    out.push(
      item(
        "S-CAXP",
        `Calcium x phosphate product ${fmt(best.product)} mg²/dL² (calcium ${describeResult(ca)}, phosphate ${describeResult(p)}; above ${T.S_CAXP_MAX}).`,
        [ca.ref, p.ref],
      ),
    );
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
  // §6 S-DX: a resolved or inactive cause is history (context), not an active cause.
  const active: string[] = [];
  const history: string[] = [];
  const activeRefs: string[] = [];
  const historyRefs: string[] = [];
  for (const [tag, name] of causes) {
    const list = facts.conditions.filter((c) => c.tags.has(tag));
    if (list.some((c) => c.active)) {
      active.push(name);
      activeRefs.push(...list.filter((c) => c.active).map((c) => c.ref));
    } else if (list.length) {
      history.push(name);
      historyRefs.push(...list.map((c) => c.ref));
    }
  }
  if (active.length) out.push(item("S-DX", `Secondary cause of calcinosis on record: ${active.join(", ")}.`, activeRefs));
  if (history.length)
    out.push(
      item("S-DX", `History of ${history.join(", ")} (resolved or inactive): context, not an active cause.`, historyRefs, "history"),
    );

  const drugs = drugContext(facts);
  if (drugs) out.push(drugs);
  return out;
}

function ckdFlag(facts: Facts): { item: RuleItem; tier: string | null } | null {
  const labs = facts.labs;
  const parts: string[] = [];
  const evidence: string[] = [];
  // eGFR < 60 on two results more than 90 days apart (chronicity): the first and last such result.
  const egfr = labs.egfr;
  let firstLow = -1;
  let lastLow = -1;
  for (let i = 0; i < egfr.length; i++) {
    if (!egfr.hasCanonical(i) || !egfr.isDated(i)) continue;
    const r = under(egfr.canonical(i), egfr.comparator(i), T.S_CKD_EGFR_BELOW);
    if (r === undefined) undecidedAt(egfr, i, "S-CKD", T.S_CKD_EGFR_BELOW, facts.notes);
    if (r !== true) continue;
    if (firstLow < 0) firstLow = i;
    else lastLow = i;
  }
  if (lastLow >= 0 && egfr.dayN(lastLow) - egfr.dayN(firstLow) > T.S_CKD_MIN_DAYS_APART) {
    const first = egfr.fact(firstLow);
    const last = egfr.fact(lastLow);
    parts.push(
      `eGFR below ${T.S_CKD_EGFR_BELOW} from ${first.day!.iso} to ${last.day!.iso} (${describeResult(first)}; ${describeResult(last)})`,
    );
    evidence.push(first.ref, last.ref);
  }
  // Creatinine above the result's own range (the spec gives no default).
  const creat = highs(labs.creatinine, null, "S-CKD", facts, "Creatinine");
  if (creat.length) {
    parts.push(hitText(latestHit(creat), "mg/dL"));
    evidence.push(...creat.map(refOfHit));
  }
  const dx = conditionRefs(facts, "ckd");
  if (dx.length) {
    parts.push("CKD, ESRD or dialysis on record");
    evidence.push(...dx);
  }
  if (parts.length === 0) return null;
  // Tiers: the latest eGFR, or the stage coded.
  const l = latestExact(labs.egfr);
  const latest = l >= 0 ? labs.egfr.fact(l) : null;
  let tier: string | null = null;
  if (
    conditionRefs(facts, "ckd-stage5").length ||
    (latest && under(latest.canonical!, latest.comparator, T.S_CKD_TIER_FAILURE_BELOW) === true)
  ) {
    tier = `eGFR < ${T.S_CKD_TIER_FAILURE_BELOW}`;
  } else if (
    conditionRefs(facts, "ckd-stage4").length ||
    (latest && under(latest.canonical!, latest.comparator, T.S_CKD_TIER_SEVERE_BELOW) === true)
  ) {
    tier = `eGFR < ${T.S_CKD_TIER_SEVERE_BELOW}`;
  }
  if (tier && latest && !evidence.includes(latest.ref) && under(latest.canonical!, latest.comparator, T.S_CKD_TIER_SEVERE_BELOW) === true)
    evidence.push(latest.ref);
  const text = `Kidney disease: ${parts.join("; ")}; consider renal (secondary) calcinosis.`;
  return { item: item("S-CKD", text, evidence, tier), tier };
}

const EFFECT_TEXT = {
  raises: "may raise calcium, phosphate or vitamin D, or change PTH",
  lowers: "may lower or mask calcium, phosphate or PTH",
  withdrawal: "stopped within a year: its withdrawal may raise calcium",
} as const;

/** S-DRUG [C]: medications that affect the calcium-phosphate axis, as context (never a diagnosis, §6). */
function drugContext(facts: Facts): RuleItem | null {
  if (facts.medications.length === 0) return null;
  const byEffect = new Map<keyof typeof EFFECT_TEXT, Set<string>>();
  for (const m of facts.medications) byEffect.set(m.effect, (byEffect.get(m.effect) ?? new Set()).add(m.drug));
  const parts = [...byEffect].map(([effect, names]) => `${[...names].join(", ")} (${EFFECT_TEXT[effect]})`);
  return item(
    "S-DRUG",
    `Medication to consider when reading the labs: ${parts.join("; ")}.`,
    facts.medications.map((m) => m.ref),
    "context",
  );
}

function capitalise(s: string): string {
  return s ? `${s[0]!.toUpperCase()}${s.slice(1)}.` : s;
}
