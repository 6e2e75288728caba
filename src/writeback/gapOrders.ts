import type { CodeableConcept } from "fhir/r4";
import { SYSTEM } from "../clinical/codes";
import type { RuleId } from "../clinical/types";
import { ORDER_CATEGORY } from "./constants";

/** What a workup gap asks for: a LOINC test or a SNOMED imaging/biopsy procedure. */
export interface GapOrder {
  code: CodeableConcept;
  /** "lab" orders have no body site; "procedure" orders take the lesion's site. */
  kind: "lab" | "procedure";
  /** ServiceRequest.category. */
  category: { code: string; display: string };
  /** One-line description of the order ("CT of the left shoulder/elbow"). */
  label: (site: string | null) => string;
}

const lab = (code: string, display: string, text: string): GapOrder => ({
  code: { coding: [{ system: SYSTEM.loinc, code, display }], text },
  kind: "lab",
  category: ORDER_CATEGORY.laboratory,
  label: () => text,
});

const procedure = (code: string, display: string, name: string, category: GapOrder["category"] = ORDER_CATEGORY.imaging): GapOrder => ({
  code: { coding: [{ system: SYSTEM.snomed, code, display }], text: name },
  kind: "procedure",
  category,
  label: (site) => (site ? `${name} of the ${site}` : name),
});

/** Codes per gap rule (clinical-spec.md §3 "Workup gaps"; LOINC codes from §4). */
export const GAP_ORDERS: Partial<Record<RuleId, GapOrder>> = {
  "G-CA": lab("17861-6", "Calcium [Mass/volume] in Serum or Plasma", "Serum calcium"),
  "G-PHOS": lab("2777-1", "Phosphate [Mass/volume] in Serum or Plasma", "Serum phosphate"),
  "G-PTH": lab("2731-8", "Parathyrin.intact [Mass/volume] in Serum or Plasma", "Intact PTH"),
  "G-VITD": lab("62292-8", "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma", "25-hydroxyvitamin D"),
  "G-RENAL": lab("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "Serum creatinine (with eGFR)"),
  "G-ALB": lab("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "Serum albumin (for corrected calcium)"),
  "G-AB": lab("8061-4", "Nuclear Ab [Presence] in Serum", "Antinuclear antibodies with SSc-specific antibodies"),
  "G-IMG-SITE": procedure("363680008", "Radiographic imaging procedure", "X-ray"),
  "G-CT": procedure("77477000", "Computerized axial tomography", "CT"),
  "G-SPINE": procedure("77477000", "Computerized axial tomography", "CT (or MRI) of the spine, targeted review"),
  "G-NEO": procedure("86273004", "Biopsy", "Biopsy to exclude a neoplasm", ORDER_CATEGORY.surgical),
  "G-SCREEN": procedure("363680008", "Radiographic imaging procedure", "Screening X-ray for calcinosis"),
};
