/** E1 (SSc present) and E2 (disease duration), with the subset of §4. */
import { wholeYears, type Day } from "../dates";
import type { ConditionFact, Facts } from "../model";
import { refs } from "../order";

export interface Eligibility {
  present: boolean;
  subset: "diffuse" | "limited" | "unspecified" | null;
  durationYears: number | null;
  onset: Day | null;
  evidence: string[];
  /** The Condition(s) the onset was read from. */
  onsetEvidence: string[];
}

/** E1 [C]: an SSc Condition, not refuted/entered-in-error (skipped at extraction), not inactive/resolved. */
export function e1SscConditions(facts: Facts): ConditionFact[] {
  return facts.conditions.filter((c) => c.tags.has("ssc") && c.active);
}

export function eligibility(facts: Facts): Eligibility {
  const ssc = e1SscConditions(facts);
  if (ssc.length === 0) return { present: false, subset: null, durationYears: null, onset: null, evidence: [], onsetEvidence: [] };

  // Subset (§4): diffuse = 128460000; limited = 299276009, 298285004, 31848007, 62382002, M34.1.
  const diffuse = ssc.some((c) => c.tags.has("ssc-diffuse"));
  const limited = ssc.some((c) => c.tags.has("ssc-limited"));
  if (diffuse && limited) {
    facts.notes.add("subset-conflict", null, () => "SSc is recorded both as diffuse and as limited: subset taken as diffuse.");
    for (const c of ssc)
      if (c.tags.has("ssc-diffuse") || c.tags.has("ssc-limited"))
        facts.notes.add("subset-conflict", c.ref, () => "SSc is recorded both as diffuse and as limited: subset taken as diffuse.");
  }
  const subset = diffuse ? "diffuse" : limited ? "limited" : "unspecified";

  // E2 [C]: the earliest onset (onsetDateTime, onsetPeriod.start, onsetAge, else recordedDate) of any SSc Condition.
  let onset: Day | null = null;
  let onsetRefs: string[] = [];
  for (const c of ssc) {
    const d = c.onset ?? c.recorded;
    if (!d) continue;
    if (!onset || d.n < onset.n) {
      onset = d;
      onsetRefs = [c.ref];
    } else if (d.n === onset.n) onsetRefs.push(c.ref);
  }
  if (!onset) {
    for (const c of ssc)
      facts.notes.add("onset-missing", c.ref, () => "SSc has no onset or recorded date: disease duration unknown, R-DUR not evaluated.");
  }
  const durationYears = onset ? Math.max(0, wholeYears(onset, facts.asOf)) : null;
  return { present: true, subset, durationYears, onset, evidence: refs(ssc.map((c) => c.ref)), onsetEvidence: refs(onsetRefs) };
}
