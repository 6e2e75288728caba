/**
 * Workup gaps, clinical-spec.md §3. A gap is claimed only when the data that could close it was
 * loaded: when it was not (AssessOptions.unavailable), the gap is "unknown" and goes to notEvaluated.
 */
import { monthsBefore, type Day } from "../dates";
import type { LabSeries } from "../labStore";
import type { Facts, ImagingFact, Scope } from "../model";
import { cmp, fmt } from "../order";
import { suspectsCalcinosis } from "../status";
import * as T from "../thresholds";
import type { AssessmentStatus, GapItem, LabKey, Laterality, LesionGrowth, RuleId, SiteGroup } from "../types";
import { pairWithin } from "./secondary";
import { gap } from "./items";
import { isPcLesion, maxGrowth, type LesionRecord } from "./lesions";
import { RULE_NEEDS } from "./needs";
import { whyUnavailable } from "../scopes";

export interface GapInput {
  facts: Facts;
  status: AssessmentStatus;
  riskIds: Set<RuleId>;
  lesions: readonly LesionRecord[];
}

export interface GapResult {
  gaps: GapItem[];
  /** Gaps that would be claimed, but the data to close them could not be loaded. */
  blocked: { ruleId: RuleId; reason: string }[];
}

export function gapRules({ facts, status, riskIds, lesions }: GapInput): GapResult {
  const gaps: GapItem[] = [];
  const blocked: GapResult["blocked"] = [];
  const claim = (g: GapItem) => {
    const missing = unavailableFor(g.ruleId, facts.unavailable.scopes);
    if (missing.length)
      blocked.push({
        ruleId: g.ruleId,
        reason: `${whyUnavailable(missing, facts.unavailable.entries)}: whether this is missing is unknown.`,
      });
    else gaps.push(g);
  };
  const labStart = monthsBefore(facts.asOf, T.LAB_LOOKBACK_MONTHS);
  const imgStart = monthsBefore(facts.asOf, T.IMAGING_LOOKBACK_MONTHS);

  if (suspectsCalcinosis(status)) {
    // G-CA, G-PHOS, G-PTH, G-VITD, G-RENAL [M]: no usable result in 12 months.
    const labGaps: [RuleId, LabKey[], string][] = [
      ["G-CA", ["calcium", "ionizedCalcium", "correctedCalcium"], "serum calcium (total, ionised or corrected)"],
      ["G-PHOS", ["phosphate"], "phosphate"],
      ["G-PTH", ["pth"], "PTH"],
      ["G-VITD", ["vitaminD25"], "25-hydroxyvitamin D"],
      ["G-RENAL", ["creatinine", "egfr"], "creatinine or eGFR"],
    ];
    // §6 GAPS: a result whose unit cannot be read still shows the test was done; one outside
    // physiological limits does not (it is left out of every rule).
    const implausible = new Set(facts.implausible.map((x) => `${x.key}|${x.ref}`));
    const measured = (l: LabSeries, i: number) => l.isDated(i) && !implausible.has(`${l.key}|${l.ref(i)}`);
    for (const [id, keys, what] of labGaps) {
      const lists = keys.map((k) => facts.labs[k]);
      if (lists.some((l) => doneSince(l, labStart, measured))) continue;
      const last = lastDone(lists, measured);
      const outside = facts.implausible.filter((x) => keys.includes(x.key)).length;
      const since = last ? ` (last ${last.iso})` : "";
      const extra = outside
        ? `; ${outside} result${outside === 1 ? "" : "s"} outside physiological limits left out: check ${outside === 1 ? "it" : "them"}`
        : "";
      claim(
        gap(
          id,
          `No ${what} in the last ${T.LAB_LOOKBACK_MONTHS} months${since}${extra}.`,
          T.GAP_PRIORITY[id as keyof typeof T.GAP_PRIORITY],
          [],
          last?.iso ?? null,
        ),
      );
    }

    // G-ALB [C]: calcium present but no albumin within 30 days of it (corrected calcium impossible).
    const calcium = facts.labs.calcium;
    let lastCa = -1;
    for (let i = calcium.length - 1; i >= 0 && lastCa < 0; i--) if (isUsableSince(calcium, i, labStart)) lastCa = i;
    let paired = false;
    if (lastCa >= 0) pairWithin(calcium, facts.labs.albumin, T.G_ALB_MAX_DAYS, () => (paired = true), labStart.n);
    if (lastCa >= 0 && !paired) {
      claim(
        gap(
          "G-ALB",
          `No albumin within ${T.G_ALB_MAX_DAYS} days of the calcium (last ${calcium.day(lastCa)!.iso}): corrected calcium cannot be computed.`,
          T.GAP_PRIORITY["G-ALB"],
          [calcium.ref(lastCa)],
        ),
      );
    }

    // G-AB [M]: no SSc antibody result ever (Scl-70, centromere, RNA polymerase III, PM/Scl, ANA).
    if (facts.antibodies.length === 0) {
      claim(
        gap("G-AB", "No SSc antibody result on record (Scl-70, centromere, RNA polymerase III, PM/Scl or ANA).", T.GAP_PRIORITY["G-AB"]),
      );
    }
  }

  const recentImaging = facts.imaging.filter((i) => i.day && i.day.n >= imgStart.n);
  const imaged = (group: SiteGroup, side: Laterality, modalities?: string[]) =>
    recentImaging.some(
      (i) =>
        i.siteGroups.includes(group) && (!modalities || i.modalities.some((m) => modalities.includes(m))) && coversSide(i, group, side),
    );
  const forLesion = (g: GapItem, r: LesionRecord): GapItem => ({ ...g, lesionId: r.lesion.id });

  // G-IMG-SITE [M]: a lesion with no imaging of its site (and side) in 24 months.
  if (suspectsCalcinosis(status)) {
    for (const r of lesions) {
      const { siteGroup, laterality, siteLabel } = r.lesion;
      if (siteGroup === "other" || imaged(siteGroup, laterality)) continue;
      claim(
        forLesion(
          gap(
            "G-IMG-SITE",
            `No imaging of the ${siteLabel} in the last ${T.IMAGING_LOOKBACK_MONTHS} months, where a lesion is recorded.`,
            T.GAP_PRIORITY["G-IMG-SITE"],
            r.lesion.evidence,
          ),
          r,
        ),
      );
    }
  }

  // G-CT [M]: probable/documented PC and no CT of the lesion site; worded as §6 G-CT.
  if (status === "probable" || status === "documented") {
    const pc = lesions.filter((r) => isPcLesion(r) && r.lesion.siteGroup !== "other");
    if (pc.length === 0 && !recentImaging.some((i) => i.modalities.includes("CT"))) {
      claim(
        gap(
          "G-CT",
          `No CT in the last ${T.IMAGING_LOOKBACK_MONTHS} months: ${CT_ADVICE}.`,
          T.GAP_PRIORITY["G-CT"],
          facts.pcDoc.map((t) => t.ref),
        ),
      );
    }
    for (const r of pc) {
      if (imaged(r.lesion.siteGroup, r.lesion.laterality, ["CT"])) continue;
      const text = `No CT of the ${r.lesion.siteLabel} in the last ${T.IMAGING_LOOKBACK_MONTHS} months: ${CT_ADVICE}.`;
      claim(forLesion(gap("G-CT", text, T.GAP_PRIORITY["G-CT"], r.lesion.evidence), r));
    }
  }

  // G-SPINE [Z, M]: suspected PC, severe vascular phenotype, no spinal CT or MRI in 24 months; a
  // CT or MRI of the thorax, abdomen or pelvis covers the paravertebral region: re-review it (§6).
  if (suspectsCalcinosis(status) && riskIds.has("R-VASC") && !imaged("spine", null, ["CT", "MR"])) {
    const body = recentImaging
      .filter((i) => i.modalities.some((m) => m === "CT" || m === "MR") && (i.regions ?? []).length > 0)
      .sort((a, b) => b.day!.n - a.day!.n || Number(!!b.name) - Number(!!a.name) || cmp(a.ref, b.ref))[0];
    const why = `Severe vascular phenotype and no spinal CT or MRI in the last ${T.IMAGING_LOOKBACK_MONTHS} months`;
    const text = body
      ? `${why}; the ${body.name ?? body.modalities.join("/")} of ${body.day!.iso} covers the paravertebral region: ask for a targeted re-review of it for spinal calcinosis (CT shows calcification best, MRI cord or root compression).`
      : `${why}: ask for a targeted spinal review (asymptomatic spinal calcinosis is easily missed; CT shows calcification best, MRI cord or root compression).`;
    claim(gap("G-SPINE", text, T.GAP_PRIORITY["G-SPINE"], body ? [body.ref] : []));
  }

  // G-NEO [M, D]: a bulky lesion that grew >= 20%, or is new with imaging before it, and no biopsy of that site and time (§6).
  const newSince = monthsBefore(facts.asOf, T.G_NEO_NEW_MONTHS);
  for (const r of lesions) {
    if (!isPcLesion(r)) continue;
    const g: LesionGrowth | null = maxGrowth(r);
    const grew = g !== null && g.percent >= T.G_NEO_GROWTH_PERCENT;
    const first = r.firstSeen;
    const before = first ? facts.imaging.filter((i) => i.day && i.day.n < first.n) : [];
    const ofSite = before.filter((i) => i.siteGroups.includes(r.lesion.siteGroup));
    const isNew = first !== null && first.n >= newSince.n && before.length > 0;
    if (!grew && !isNew) continue;
    const biopsyFrom = first ? monthsBefore(first, T.G_NEO_NEW_MONTHS).n : Number.NEGATIVE_INFINITY;
    const ofLesion = facts.biopsies.filter((b) => b.siteGroups.length === 0 || b.siteGroups.includes(r.lesion.siteGroup));
    if (ofLesion.some((b) => b.day && b.day.n >= biopsyFrom)) continue;
    const why = grew
      ? `grew ${fmt(g!.percent)}% (${fmt(g!.fromCm)} to ${fmt(g!.toCm)} cm, ${g!.fromDate} to ${g!.toDate}${g!.crossModality ? ", measured with different modalities" : ""})`
      : `first seen on ${first!.iso}, within ${T.G_NEO_NEW_MONTHS} months: ${
          ofSite.length
            ? `not described on the earlier imaging of this site (${ofSite.at(-1)!.day!.iso})`
            : "no earlier imaging of this site on record"
        }`;
    const older = ofLesion.filter((b) => b.day);
    const biopsyNote = older.length
      ? ` (the biopsy of ${older.at(-1)!.day!.iso} is more than ${T.G_NEO_NEW_MONTHS} months before it)`
      : ofLesion.length
        ? " (a biopsy on record is undated)"
        : "";
    claim(
      forLesion(
        gap(
          "G-NEO",
          `Lesion of the ${r.lesion.siteLabel} ${why}, and no biopsy or histology of it on record${biopsyNote}: exclude a neoplasm.`,
          T.GAP_PRIORITY["G-NEO"],
          grew ? g!.evidence : r.lesion.evidence,
        ),
        r,
      ),
    );
  }

  // G-SCREEN [M, D]: no evidence yet, R-VASC or R-DUR present, and no imaging at all in 24 months.
  if (status === "no-evidence" && (riskIds.has("R-VASC") || riskIds.has("R-DUR")) && recentImaging.length === 0) {
    claim(
      gap(
        "G-SCREEN",
        `Severe vascular phenotype or long disease duration, and no imaging in the last ${T.IMAGING_LOOKBACK_MONTHS} months: suggest screening imaging for calcinosis.`,
        T.GAP_PRIORITY["G-SCREEN"],
      ),
    );
  }

  return { gaps, blocked };
}

/** Converted and dated on or after `start` (a bound counts: it is a result). */
function isUsableSince(s: LabSeries, i: number, start: Day): boolean {
  return s.hasCanonical(i) && s.isDated(i) && s.dayN(i) >= start.n;
}

/** A result dated on or after `start` that shows the test was done. */
function doneSince(s: LabSeries, start: Day, measured: (l: LabSeries, i: number) => boolean): boolean {
  for (let i = s.length - 1; i >= 0; i--) if (measured(s, i) && s.dayN(i) >= start.n) return true;
  return false;
}

function lastDone(lists: LabSeries[], measured: (l: LabSeries, i: number) => boolean): Day | null {
  let best: Day | null = null;
  for (const l of lists) for (let i = 0; i < l.length; i++) if (measured(l, i) && (!best || l.dayN(i) > best.n)) best = l.day(i);
  return best;
}

/** §6 G-CT: the advice of a CT gap. */
const CT_ADVICE = "consider multidetector CT if surgery or a procedure is planned or the extent is unclear (higher radiation dose)";

/** Whether an imaging of `group` covers the lesion's side: a stated side must match (a side not stated covers either). */
function coversSide(i: ImagingFact, group: SiteGroup, side: Laterality): boolean {
  if (side === null || side === "bilateral") return true;
  const sides = i.sides.filter((s) => s.group === group && s.side !== null);
  return sides.length === 0 || sides.some((s) => s.side === side || s.side === "bilateral");
}

/** The unavailable scopes a rule needs. */
export function unavailableFor(ruleId: RuleId, scopes: Set<Scope>): Scope[] {
  return (RULE_NEEDS[ruleId] ?? []).filter((s) => scopes.has(s));
}
