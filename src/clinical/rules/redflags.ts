/** Red flags, clinical-spec.md §3: RF-SPINE and RF-COMP. */
import type { Facts } from "../model";
import type { RuleItem } from "../types";
import { item } from "./items";
import { siteLabel } from "./lesions";

export function redFlagRules(facts: Facts): RuleItem[] {
  const out: RuleItem[] = [];

  // RF-SPINE [Z]: a spinal or paravertebral lesion together with radiculopathy, myelopathy, cord
  // compression, cauda equina or limb weakness (coded M54.1*, G95.2*, G83.4, M47.1*, M99.5*, or the words).
  const spinal = facts.lesions.filter((l) => l.siteGroup === "spine");
  if (spinal.length && facts.neuro.length) {
    out.push(
      item(
        "RF-SPINE",
        "Spinal calcific lesion with neurological signs: urgent neurological assessment and spinal MRI/CT.",
        [...spinal.flatMap((l) => l.evidence), ...facts.neuro.map((n) => n.ref)],
        facts.neuro[facts.neuro.length - 1]!.text,
      ),
    );
  }

  // RF-COMP [Z]: a lesion with ulceration, fistula or infection (L98.4*, L08.*, M86.*, L03.*, or the
  // words). The complication must concern the lesion: named with the calcinosis, or at its site (a
  // digital ulcer does not complicate a shoulder mass).
  if (facts.lesions.length || facts.calcinosis.length || facts.pcDoc.length) {
    const refsOut: string[] = facts.complicationWithCalcinosis.map((t) => t.ref);
    const where = new Set<string>();
    for (const c of facts.conditions) {
      if (!c.tags.has("complication") || !c.active || !c.site) continue;
      const site = c.site;
      const match = facts.lesions.filter(
        (l) =>
          l.siteGroup === site.group &&
          site.group !== "other" &&
          (site.side === null || l.laterality === null || l.laterality === site.side || l.laterality === "bilateral"),
      );
      if (match.length === 0) continue;
      refsOut.push(c.ref, ...match.flatMap((l) => l.evidence));
      where.add(siteLabel(site.group, site.side));
    }
    if (refsOut.length) {
      const at = where.size ? ` (${[...where].join(", ")})` : "";
      out.push(item("RF-COMP", `Calcific lesion with ulceration, fistula or infection${at}: review the lesion.`, refsOut));
    }
  }
  return out;
}
