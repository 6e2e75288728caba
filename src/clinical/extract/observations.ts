/**
 * Observations: which reader a result goes to. Lab results and SSc antibodies by LOINC code (on the
 * Observation or on a panel's components), uncoded antibodies by name, and anything else to the
 * calcinosis reader.
 */
import { ANTIBODY_LOINC, LAB_LOINC, isLoincSystem, type AntibodyKey } from "../codes";
import type { Day } from "../dates";
import { asArray, codings, conceptText, isObject, type Json } from "../json";
import type { Facts } from "../model";
import type { LabKey } from "../types";
import { ANTIBODY_TEXT, addAntibody } from "./antibodies";
import { readCalcinosisObservation } from "./calcinosisObservations";
import { addLab } from "./labResults";

type CodeHit = { kind: "lab"; key: LabKey } | { kind: "antibody"; key: AntibodyKey };

const LOINC_INDEX = new Map<string, CodeHit>();
for (const [key, codes] of Object.entries(LAB_LOINC)) for (const c of codes) LOINC_INDEX.set(c, { kind: "lab", key: key as LabKey });
for (const [key, codes] of Object.entries(ANTIBODY_LOINC))
  for (const c of codes) LOINC_INDEX.set(c, { kind: "antibody", key: key as AntibodyKey });

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
