/**
 * Medications for S-DRUG (§6, context only): MedicationRequest and MedicationStatement of the
 * S-DRUG list that are active as of the assessment date, and a denosumab stopped within a year
 * (its withdrawal raises calcium). Vitamin D counts only at a high dose.
 */
import { S_DRUGS, VITAMIN_D_HIGH_DOSE_IU_PER_DAY, isRxnorm, type DrugEntry } from "../codes";
import { monthsBefore, parseDay, type Day } from "../dates";
import { asArray, codings, conceptText, isObject, str, type Json } from "../json";
import type { Facts } from "../model";

const ACTIVE = new Set(["active", "on-hold", "intended"]);
const STOPPED = new Set(["stopped", "completed"]);

/** The medication's coded concept: inline, or a contained Medication the reference points to. */
function medicationConcept(r: Json): unknown {
  if (isObject(r.medicationCodeableConcept)) return r.medicationCodeableConcept;
  const ref = isObject(r.medicationReference) ? str(r.medicationReference.reference) : undefined;
  if (ref?.startsWith("#")) {
    const med = asArray(r.contained).find((c) => isObject(c) && c.resourceType === "Medication" && `#${c.id}` === ref);
    if (isObject(med)) return med.code;
  }
  return isObject(r.medicationReference) ? { text: str(r.medicationReference.display) } : undefined;
}

function matchDrug(concept: unknown): DrugEntry | undefined {
  const rx = codings(concept)
    .filter((c) => isRxnorm(c.system))
    .map((c) => c.code ?? "");
  const text = conceptText(concept);
  return S_DRUGS.find((d) => d.rxnorm.some((code) => rx.includes(code)) || d.words.test(text));
}

/** A dose of vitamin D of 4,000 IU a day or more, or 50,000 IU a week, by dose quantity or text. */
function highVitaminDDose(r: Json, text: string): boolean {
  if (/\b50[ ,.]?000\b/.test(text)) return true;
  for (const d of [...asArray(r.dosageInstruction), ...asArray(r.dosage)]) {
    if (!isObject(d)) continue;
    if (typeof d.text === "string" && /\b50[ ,.]?000\b/.test(d.text)) return true;
    for (const dr of asArray(d.doseAndRate)) {
      const q = isObject(dr) && isObject(dr.doseQuantity) ? dr.doseQuantity : undefined;
      if (
        q &&
        typeof q.value === "number" &&
        /\b(iu|\[iu\])\b/i.test(`${str(q.unit) ?? ""} ${str(q.code) ?? ""}`) &&
        q.value >= VITAMIN_D_HIGH_DOSE_IU_PER_DAY
      ) {
        return true;
      }
    }
  }
  return false;
}

function periodOf(r: Json): { start: Day | null; end: Day | null } {
  const p = isObject(r.effectivePeriod)
    ? r.effectivePeriod
    : isObject(r.dispenseRequest) && isObject(r.dispenseRequest.validityPeriod)
      ? r.dispenseRequest.validityPeriod
      : null;
  return {
    start: parseDay(r.authoredOn) ?? parseDay(r.effectiveDateTime) ?? (p ? parseDay(p.start) : null),
    end: p ? parseDay(p.end) : null,
  };
}

export function readMedication(r: Json, ref: string, asOf: Day, facts: Facts): void {
  const concept = medicationConcept(r);
  const drug = matchDrug(concept);
  if (!drug) return;
  const text = conceptText(concept) || drug.name;
  const status = str(r.status) ?? "";
  const { start, end } = periodOf(r);
  if (start && start.n > asOf.n) return;
  const active = ACTIVE.has(status) && (!end || end.n >= asOf.n);
  const recentlyStopped =
    drug.name === "denosumab" && STOPPED.has(status) && (end ?? start)?.n !== undefined && (end ?? start)!.n >= monthsBefore(asOf, 12).n;
  if (!active && !recentlyStopped) return;
  if (drug.highDoseOnly && !highVitaminDDose(r, text)) return;
  facts.medications.push({ ref, day: start, drug: drug.name, effect: recentlyStopped && !active ? "withdrawal" : drug.effect, text });
}
