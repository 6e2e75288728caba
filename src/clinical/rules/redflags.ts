/** Red flags, clinical-spec.md §3 and §6: RF-SPINE, RF-CANAL and RF-COMP, each per lesion. */
import type { ConditionFact, Facts } from "../model";
import { fmt } from "../order";
import { LIMB_GROUPS } from "../text";
import type { Laterality, RuleItem } from "../types";
import { item } from "./items";
import type { LesionRecord } from "./lesions";

/** §6 RF-SPINE: the actions, once. */
const SPINE_ACTION = "Same-day neurological assessment, MRI for cord or root compression, and a spinal surgical opinion.";
/** §6 RF-CANAL: the actions, once. */
const CANAL_ACTION = "Neurological examination and MRI of the spine.";

function sideMatches(a: Laterality, b: Laterality): boolean {
  return a === null || b === null || a === b || a === "bilateral" || b === "bilateral";
}

/** §6 RF-COMP: a complication at the lesion's site group and side, or of its limb and side. */
function complicates(c: ConditionFact, r: LesionRecord): boolean {
  const { siteGroup, laterality } = r.lesion;
  if (c.limb) return LIMB_GROUPS[c.limb.limb].includes(siteGroup) && sideMatches(c.limb.side, laterality);
  return !!c.site && c.site.group !== "other" && c.site.group === siteGroup && sideMatches(c.site.side, laterality);
}

/** "at T10-T11, 3.4 cm": the level and size of a spinal lesion, as known. */
function spinalWhere(r: LesionRecord): string {
  const level = r.spine?.level ? ` at ${r.spine.level}` : "";
  const size = r.lesion.maxDimensionCm !== null ? `, ${fmt(r.lesion.maxDimensionCm)} cm` : ", size not given";
  return `${r.lesion.siteLabel}${level}${size}`;
}

export function redFlagRules(facts: Facts, lesions: readonly LesionRecord[]): RuleItem[] {
  const out: RuleItem[] = [];
  const forLesion = (i: RuleItem, r: LesionRecord) => ({ ...i, lesionId: r.lesion.id });

  // RF-SPINE [Z]: a spinal or paravertebral lesion together with radiculopathy, myelopathy, cord
  // compression, cauda equina or limb weakness (M54.1*, G95.2*, G83.4, M47.1*, M99.5*, or the words).
  // RF-CANAL [M]: a calcific mass projecting into the spinal canal or foramina, with or without
  // symptoms; with symptoms RF-SPINE says it, and asks for more.
  const neuro = facts.neuro.at(-1);
  for (const r of lesions.filter((x) => x.lesion.siteGroup === "spine")) {
    const canal = r.spine?.canal ? " projecting into the spinal canal or foramina" : "";
    if (neuro) {
      const finding = neuro.text.split(" | ")[0]!.replace(/\s+/g, " ").trim();
      const text = `Spinal calcific lesion (${spinalWhere(r)})${canal} with a neurological finding: ${finding}.`;
      out.push(forLesion(item("RF-SPINE", text, [...r.lesion.evidence, ...facts.neuro.map((n) => n.ref)], SPINE_ACTION), r));
    } else if (canal) {
      // §6 RF-CANAL: it threatens the cord even without symptoms; none are on record here.
      const text = `Calcific mass${canal} (${spinalWhere(r)}); no neurological finding on record, which does not exclude compression.`;
      out.push(forLesion(item("RF-CANAL", text, r.lesion.evidence, CANAL_ACTION), r));
    }
  }

  // RF-COMP [Z]: a lesion with ulceration, fistula or infection (L98.4*, L08.*, M86.*, L03.*, or the
  // words), named with the calcinosis or at the lesion's site and side (§6).
  const complications = facts.conditions.filter((c) => c.tags.has("complication") && c.active);
  const used = new Set<string>();
  for (const r of lesions) {
    const named = r.mentions.filter((m) => m.complication).flatMap((m) => m.evidence);
    const at = complications.filter((c) => complicates(c, r));
    if (!named.length && !at.length) continue;
    named.forEach((ref) => used.add(ref));
    const text = `Calcific lesion of the ${r.lesion.siteLabel} with ulceration, fistula or infection.`;
    out.push(forLesion(item("RF-COMP", text, [...named, ...at.map((c) => c.ref), ...r.lesion.evidence], "Review the lesion."), r));
  }
  // Named with calcinosis that is not a lesion of the record (no site).
  const unsited = facts.complicationWithCalcinosis.filter(
    (t) => !used.has(t.ref) && !lesions.some((r) => r.lesion.evidence.includes(t.ref)),
  );
  if (unsited.length) {
    out.push(
      item(
        "RF-COMP",
        "Calcinosis with ulceration, fistula or infection.",
        unsited.map((t) => t.ref),
        "Review the lesion.",
      ),
    );
  }
  return out;
}
