/**
 * Imaging and body-site codes of clinical-spec.md §4 and §6: DICOM modalities, SNOMED body
 * structures by site group, the regions a CT or MRI covers, limb-level structures, ICD-10-CM
 * complication codes with their limb and side, and the SNOMED laterality qualifiers.
 */
import type { SiteGroup } from "./types";

export const IMAGING_MODALITIES = ["CR", "DX", "CT", "MR", "US", "NM", "PT", "XA", "RF"] as const;

/** Site groups from SNOMED body structures (§4). */
export const SITE_GROUP_SNOMED: Record<Exclude<SiteGroup, "other">, readonly string[]> = {
  "hand-wrist": ["85562004", "7569003", "74670003", "8205005", "14975008"],
  "shoulder-elbow": ["16982005", "16953009", "40983000", "51299004"],
  "hip-pelvis": ["29836001", "24136001", "12921003", "816092008"],
  spine: ["421060004", "122494005", "122495006", "122496007", "1217257000", "54735007"],
  trunk: ["77568009", "51185008", "261179002", "816094009", "52612000"],
  "lower-limb": ["72696002", "49076000", "68367000", "344001"],
};

/** The order site groups are listed in (the spec's table order). */
export const SITE_GROUP_ORDER: readonly SiteGroup[] = [
  "hand-wrist",
  "shoulder-elbow",
  "hip-pelvis",
  "spine",
  "trunk",
  "lower-limb",
  "other",
];

/** Body regions a CT or MRI covers (§6 G-SPINE): thorax, abdomen, pelvis (SNOMED body structures). */
export const REGION_SNOMED: Readonly<Record<"thorax" | "abdomen" | "pelvis", readonly string[]>> = {
  thorax: ["51185008", "261179002", "816094009"],
  abdomen: ["818983003", "113345001"],
  pelvis: ["12921003", "816092008"],
};

/** Limb-level body structures (§6 RF-COMP): a complication of the limb matches the lesions of that limb. */
export const LIMB_SNOMED: Readonly<Record<"upper" | "lower", readonly string[]>> = {
  upper: ["53120007"],
  lower: ["61685007"],
};

/**
 * ICD-10-CM complication codes whose last character gives limb and side (§6 RF-COMP): cellulitis
 * and lymphangitis of a limb (L03.11x, L03.12x) and of a finger or toe (L03.01x, L03.02x, L03.03x, L03.04x).
 */
export const ICD10_COMPLICATION_SITES: Readonly<
  Record<string, { group: SiteGroup | null; limb: "upper" | "lower" | null; side: "left" | "right" | null }>
> = {
  L03113: { group: null, limb: "upper", side: "right" },
  L03114: { group: null, limb: "upper", side: "left" },
  L03115: { group: null, limb: "lower", side: "right" },
  L03116: { group: null, limb: "lower", side: "left" },
  L03123: { group: null, limb: "upper", side: "right" },
  L03124: { group: null, limb: "upper", side: "left" },
  L03125: { group: null, limb: "lower", side: "right" },
  L03126: { group: null, limb: "lower", side: "left" },
  L03011: { group: "hand-wrist", limb: null, side: "right" },
  L03012: { group: "hand-wrist", limb: null, side: "left" },
  L03021: { group: "hand-wrist", limb: null, side: "right" },
  L03022: { group: "hand-wrist", limb: null, side: "left" },
  L03031: { group: "lower-limb", limb: null, side: "right" },
  L03032: { group: "lower-limb", limb: null, side: "left" },
  L03041: { group: "lower-limb", limb: null, side: "right" },
  L03042: { group: "lower-limb", limb: null, side: "left" },
};

/** SNOMED laterality qualifiers (ImagingStudy.series.laterality, body-site qualifiers). */
export const LATERALITY_SNOMED = { left: "7771000", right: "24028007", bilateral: "51440002" } as const;

/** The name people give a coded body structure (§4 site codes), where it is more precise than its group. */
export const SITE_NAME_SNOMED: Record<string, string> = {
  "85562004": "hand",
  "7569003": "fingers",
  "74670003": "wrist",
  "8205005": "wrist",
  "14975008": "forearm",
  "16982005": "shoulder",
  "16953009": "elbow",
  "40983000": "upper arm",
  "51299004": "clavicle",
  "29836001": "hip",
  "24136001": "hip",
  "12921003": "pelvis",
  "816092008": "pelvis",
  "77568009": "back",
  "816094009": "chest wall",
  "72696002": "knee",
  "49076000": "knee",
  "68367000": "thigh",
  "344001": "ankle",
};
