/** Evidence of calcinosis, clinical-spec.md §3 "Eligibility and evidence": PC-DOC, PC-SIZE, PC-CALC, PC-IMG. */
import type { Facts, TextFact } from "../model";
import { fmt } from "../order";
import { PC_MIN_SIZE_CM } from "../thresholds";
import type { RuleItem } from "../types";
import { item } from "./items";
import { describeLesion, isPcSized } from "./lesions";

export interface EvidenceResult {
  findings: RuleItem[];
  pcDoc: boolean;
  pcSize: boolean;
  pcCalc: boolean;
  pcImg: boolean;
  /** References of the lesions of >= 2 cm (not "elsewhere" for R-CALC). */
  pcSizedRefs: Set<string>;
}

function quote(t: TextFact): string {
  const s = t.text.replace(/\s+/g, " ").trim();
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

function latest(list: readonly { day: { iso: string } | null }[]): string {
  const dated = list.filter((x) => x.day);
  return dated.length ? ` (latest ${dated[dated.length - 1]!.day!.iso})` : "";
}

export function evidenceRules(facts: Facts): EvidenceResult {
  const findings: RuleItem[] = [];

  // PC-DOC [M]: tumoral/pseudotumoral calcinosis coded (61778004) or named in a diagnosis or report.
  const pcDoc = facts.pcDoc.length > 0;
  if (pcDoc) {
    findings.push(
      item(
        "PC-DOC",
        `Pseudotumoral calcinosis is named or coded in ${facts.pcDoc.length === 1 ? "1 record" : `${facts.pcDoc.length} records`}${latest(facts.pcDoc)}.`,
        facts.pcDoc.map((t) => t.ref),
        quote(facts.pcDoc[facts.pcDoc.length - 1]!),
      ),
    );
  }

  // PC-SIZE [Z, M]: a calcified lesion with a largest dimension >= 2.0 cm; one item per lesion.
  const sized = facts.lesions.filter(isPcSized);
  for (const l of sized) {
    findings.push(
      item(
        "PC-SIZE",
        `Calcified lesion of ${fmt(l.maxDimensionCm!)} cm (>= ${fmt(PC_MIN_SIZE_CM)} cm): ${describeLesion(l)}.`,
        l.evidence,
        l.sourceText,
      ),
    );
  }
  const pcSizedRefs = new Set(sized.flatMap((l) => l.evidence));

  // PC-CALC [C]: calcinosis documented (Condition or Observation) without a size of >= 2 cm.
  const calc = facts.calcinosis.filter((t) => !pcSizedRefs.has(t.ref));
  const pcCalc = calc.length > 0;
  if (pcCalc) {
    findings.push(
      item(
        "PC-CALC",
        `Calcinosis is documented without a size of ${fmt(PC_MIN_SIZE_CM)} cm or more${latest(calc)}.`,
        calc.map((t) => t.ref),
        quote(calc[calc.length - 1]!),
      ),
    );
  }

  // PC-IMG [D]: imaging text suggests soft-tissue calcification and no diagnosis names it yet.
  const diagnosed = pcDoc || facts.calcinosis.some((t) => t.source === "Condition");
  const pcImg = !diagnosed && facts.imagingCalcification.length > 0;
  if (pcImg) {
    const img = facts.imagingCalcification;
    findings.push(
      item(
        "PC-IMG",
        `Imaging describes soft-tissue calcification and no calcinosis diagnosis is on record${latest(img)}.`,
        img.map((t) => t.ref),
        quote(img[img.length - 1]!),
      ),
    );
  }
  return { findings, pcDoc, pcSize: sized.length > 0, pcCalc, pcImg, pcSizedRefs };
}
