/**
 * Sizes in text (§3 PC-SIZE, §6 SIZE): "12x11 cm", "3 x 2.1 x 3,4 cm", "2.8 × 1.5 × 5.7 cm",
 * "45 mm", "8.8 by 6.8 cm". A size is a dimension of the lesion: a distance ("3 cm below the
 * acromion", "2 cm from the joint") is not, and neither are areas and volumes (cm², cm³, mL).
 */

const NUM = "\\d+(?:[.,]\\d+)?";
const UNIT = "(?:cm|mm)";
const SEP = "\\s*(?:[x×*]|by)\\s*";
/** Up to three numbers separated by x, ×, * or "by", with cm or mm after any of them. */
const SIZE_RE = new RegExp(
  `(?<![\\w.,])(${NUM})\\s*(${UNIT})?(?:${SEP}(${NUM})\\s*(${UNIT})?)?(?:${SEP}(${NUM})\\s*(${UNIT})?)?(?![\\w²³^])`,
  "gi",
);
/** After the unit: a distance from a landmark. */
const DISTANCE_AFTER_RE =
  /^\s*(?:from|below|above|beneath|under|over|distal(?:ly)? (?:to|from)|proximal(?:ly)? (?:to|from)|lateral(?:ly)? (?:to|from)|medial(?:ly)? (?:to|from)|anterior(?:ly)? (?:to|from)|posterior(?:ly)? (?:to|from)|superior(?:ly)? to|inferior(?:ly)? to|away from|deep to|beyond|caudal to|cranial to|off)\b/i;
/** Before the number: a distance ("at a distance of", "located", "lies") or a volume/area ("volume"). */
const NOT_SIZE_BEFORE_RE =
  /\b(?:distance of|located|lying|lies|situated|volume(?: of)?|area(?: of)?|surface(?: of)?|depth of|thickness of)\s*$/i;

export interface ParsedSize {
  /** Dimensions in cm, in the order written. */
  dimensionsCm: number[];
  maxCm: number;
  index: number;
  end: number;
  text: string;
}

function toNumber(s: string): number {
  return Number(s.replace(",", "."));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Every lesion size in a text; distances, areas and volumes left out. */
export function parseSizes(text: string): ParsedSize[] {
  const out: ParsedSize[] = [];
  SIZE_RE.lastIndex = 0;
  for (let m = SIZE_RE.exec(text); m; m = SIZE_RE.exec(text)) {
    const nums = [m[1], m[3], m[5]];
    const units = [m[2], m[4], m[6]];
    const lastUnit = [...units].reverse().find(Boolean);
    if (!lastUnit) continue; // a number without cm/mm is not a size
    const end = m.index + m[0].length;
    if (DISTANCE_AFTER_RE.test(text.slice(end, end + 30))) continue;
    if (NOT_SIZE_BEFORE_RE.test(text.slice(Math.max(0, m.index - 25), m.index))) continue;
    const dims: number[] = [];
    for (let i = 0; i < 3; i++) {
      if (nums[i] === undefined) continue;
      const unit = (units[i] ?? lastUnit).toLowerCase();
      const v = toNumber(nums[i]!);
      if (!Number.isFinite(v)) continue;
      dims.push(round(unit === "mm" ? v / 10 : v));
    }
    if (dims.length === 0) continue;
    out.push({ dimensionsCm: dims, maxCm: Math.max(...dims), index: m.index, end, text: m[0] });
  }
  return out;
}
