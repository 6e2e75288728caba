/**
 * Workup gaps, clinical-spec.md §3. A gap is claimed only when the data that could close it was
 * loaded: when it was not (AssessOptions.unavailable), the gap is "unknown" and goes to notEvaluated.
 */
import { monthsBefore, type Day } from "../dates";
import type { LabSeries } from "../labStore";
import type { Facts, Scope } from "../model";
import { fmt } from "../order";
import { suspectsCalcinosis } from "../status";
import * as T from "../thresholds";
import type { AssessmentStatus, GapItem, LabKey, LesionGrowth, RuleId, SiteGroup } from "../types";
import { pairWithin } from "./secondary";
import { gap } from "./items";
import { isPcLesion, maxGrowth, siteLabel, type LesionSeries } from "./lesions";
import { RULE_NEEDS } from "./needs";
import { whyUnavailable } from "../scopes";

export interface GapInput {
  facts: Facts;
  status: AssessmentStatus;
  riskIds: Set<RuleId>;
  series: LesionSeries[];
}

export interface GapResult {
  gaps: GapItem[];
  /** Gaps that would be claimed, but the data to close them could not be loaded. */
  blocked: { ruleId: RuleId; reason: string }[];
}

export function gapRules({ facts, status, riskIds, series }: GapInput): GapResult {
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
    for (const [id, keys, what] of labGaps) {
      const lists = keys.map((k) => facts.labs[k]);
      if (lists.some((l) => usableSince(l, labStart))) continue;
      const last = lastUsable(lists);
      const unreadable = lists.reduce((n, l) => n + unconverted(l), 0);
      const since = last ? ` (last ${last.iso})` : "";
      const extra = unreadable ? `; ${unreadable} result${unreadable === 1 ? "" : "s"} with a unit that cannot be read` : "";
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
  const imaged = (group: SiteGroup, modalities?: string[]) =>
    recentImaging.some((i) => i.siteGroups.includes(group) && (!modalities || i.modalities.some((m) => modalities.includes(m))));

  // G-IMG-SITE [M]: a lesion site group with no imaging of it in 24 months.
  if (suspectsCalcinosis(status)) {
    for (const group of siteGroupsOf(facts.lesions.map((l) => l.siteGroup))) {
      if (imaged(group)) continue;
      const ev = facts.lesions.filter((l) => l.siteGroup === group).flatMap((l) => l.evidence);
      claim(
        gap(
          "G-IMG-SITE",
          `No imaging of the ${siteLabel(group, null)} in the last ${T.IMAGING_LOOKBACK_MONTHS} months, where a lesion is recorded.`,
          T.GAP_PRIORITY["G-IMG-SITE"],
          ev,
        ),
      );
    }
  }

  // G-CT [M]: probable/documented PC and no CT of the lesion site (extent, pre-operative planning).
  if (status === "probable" || status === "documented") {
    const pcGroups = siteGroupsOf(facts.lesions.filter(isPcLesion).map((l) => l.siteGroup));
    if (pcGroups.length === 0) {
      if (!recentImaging.some((i) => i.modalities.includes("CT"))) {
        claim(
          gap(
            "G-CT",
            `No CT in the last ${T.IMAGING_LOOKBACK_MONTHS} months to stage the calcinosis (extent, pre-operative planning).`,
            T.GAP_PRIORITY["G-CT"],
            facts.pcDoc.map((t) => t.ref),
          ),
        );
      }
    }
    for (const group of pcGroups) {
      if (imaged(group, ["CT"])) continue;
      const ev = facts.lesions.filter((l) => l.siteGroup === group && isPcLesion(l)).flatMap((l) => l.evidence);
      claim(
        gap(
          "G-CT",
          `No CT of the ${siteLabel(group, null)} in the last ${T.IMAGING_LOOKBACK_MONTHS} months (extent, pre-operative planning).`,
          T.GAP_PRIORITY["G-CT"],
          ev,
        ),
      );
    }
  }

  // G-SPINE [Z, M]: possible/probable/documented PC, severe vascular phenotype, no spinal CT or MRI in 24 months.
  if (suspectsCalcinosis(status) && riskIds.has("R-VASC") && !imaged("spine", ["CT", "MR"])) {
    claim(
      gap(
        "G-SPINE",
        `Severe vascular phenotype and no spinal CT or MRI in the last ${T.IMAGING_LOOKBACK_MONTHS} months: ask for a targeted spinal review (asymptomatic spinal calcinosis is easily missed).`,
        T.GAP_PRIORITY["G-SPINE"],
      ),
    );
  }

  // G-NEO [M, D]: a bulky lesion that grew >= 20% or was first seen within 6 months, and no biopsy/histology.
  const newSince = monthsBefore(facts.asOf, T.G_NEO_NEW_MONTHS);
  for (const s of series) {
    if (!s.lesions.some(isPcLesion)) continue;
    const g: LesionGrowth | null = maxGrowth(s);
    const grew = g !== null && g.percent >= T.G_NEO_GROWTH_PERCENT;
    const firstDay = firstSeen(s);
    const isNew = firstDay !== null && firstDay.n >= newSince.n;
    if (!grew && !isNew) continue;
    if (facts.biopsies.some((b) => b.siteGroups.length === 0 || b.siteGroups.includes(s.siteGroup))) continue;
    const where = siteLabel(s.siteGroup, s.laterality);
    const why = grew
      ? `grew ${fmt(g!.percent)}% (${fmt(g!.fromCm)} to ${fmt(g!.toCm)} cm, ${g!.fromDate} to ${g!.toDate})`
      : `first seen on ${firstDay!.iso}, within ${T.G_NEO_NEW_MONTHS} months`;
    claim(
      gap(
        "G-NEO",
        `Lesion of the ${where} ${why} and no biopsy or histology on record: exclude a neoplasm.`,
        T.GAP_PRIORITY["G-NEO"],
        grew ? g!.evidence : s.lesions.flatMap((l) => l.evidence),
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

function usableSince(s: LabSeries, start: Day): boolean {
  for (let i = s.length - 1; i >= 0; i--) if (isUsableSince(s, i, start)) return true;
  return false;
}

function unconverted(s: LabSeries): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!s.hasCanonical(i)) n++;
  return n;
}

function lastUsable(lists: LabSeries[]): Day | null {
  let best: Day | null = null;
  for (const l of lists)
    for (let i = 0; i < l.length; i++) if (l.hasCanonical(i) && l.isDated(i) && (!best || l.dayN(i) > best.n)) best = l.day(i);
  return best;
}

function firstSeen(s: LesionSeries): Day | null {
  let best: Day | null = null;
  for (const l of s.lesions) if (l.day && (!best || l.day.n < best.n)) best = l.day;
  return best;
}

function siteGroupsOf(groups: SiteGroup[]): SiteGroup[] {
  const order: SiteGroup[] = ["hand-wrist", "shoulder-elbow", "hip-pelvis", "spine", "trunk", "lower-limb"];
  const set = new Set(groups);
  return order.filter((g) => set.has(g));
}

/** The unavailable scopes a rule needs. */
export function unavailableFor(ruleId: RuleId, scopes: Set<Scope>): Scope[] {
  return (RULE_NEEDS[ruleId] ?? []).filter((s) => scopes.has(s));
}
