import type { Assessment, Lesion, LesionMeasurement } from "../clinical/types";
import { capitalize, citeEvidence, cm, day, siteText } from "./labels";

/**
 * The one place where a lesion is put into words, for the note, the DetectedIssues and the review.
 * The engine's lesion model (ruleset 1.1.0: id, siteLabel, measurements) fills in over time, so
 * every optional field is used where present and never invented where absent.
 *
 * - "name":  "right back/chest wall" (the engine's site label when it gives one)
 * - "short": "right back/chest wall, 10 cm on 2026-10-29 (CT)"
 * - "line":  the note's LESIONS line: size, date, modality, peak, first seen, every measurement, sources
 */
export function lesionText(lesion: Lesion, form: "name" | "short" | "line", dates: ReadonlyMap<string, string> = new Map()): string {
  const name = lesionName(lesion);
  if (form === "name") return name;
  const when = day(lesion.date);
  if (form === "short") {
    const size = lesion.maxDimensionCm != null ? `, ${cm(lesion.maxDimensionCm)}` : ", size not recorded";
    return `${name}${size}${when ? ` on ${when}` : ""}${lesion.modality ? ` (${lesion.modality})` : ""}`;
  }
  const size =
    lesion.maxDimensionCm != null ? `largest dimension ${sizeText(lesion.maxDimensionCm, lesion.dimensionsCm)}` : "no size recorded";
  const parts = [`${capitalize(name)}: ${size}${when ? `, ${when}` : ", undated"}${lesion.modality ? `, ${lesion.modality}` : ""}.`];
  if (lesion.peakDimensionCm != null && lesion.maxDimensionCm != null && lesion.peakDimensionCm > lesion.maxDimensionCm) {
    parts.push(`Largest ever measured: ${cm(lesion.peakDimensionCm)}.`);
  }
  const first = day(lesion.firstSeen);
  if (first && first !== when) parts.push(`First seen: ${first}.`);
  if (lesion.measurements && lesion.measurements.length > 1)
    parts.push(`Measurements: ${lesion.measurements.map(measurementText).join("; ")}.`);
  parts.push(`Source: ${citeEvidence(lesion.evidence, dates)}.`);
  return parts.join(" ");
}

/** The engine's site label where it gives one ("spine, left paravertebral"), else site group and side. */
export function lesionName(lesion: Pick<Lesion, "siteGroup" | "laterality" | "siteLabel">): string {
  return lesion.siteLabel?.trim() || siteText(lesion);
}

/** "10 cm (10 x 9 cm)" when several dimensions were written, else "10 cm". */
function sizeText(maxCm: number, dimensionsCm: readonly number[] | undefined): string {
  return dimensionsCm && dimensionsCm.length > 1
    ? `${cm(maxCm)} (${dimensionsCm.map((d) => Math.round(d * 10) / 10).join(" x ")} cm)`
    : cm(maxCm);
}

/** "2024-10-08 8.8 cm (CR)", "undated, size not recorded". */
function measurementText(m: LesionMeasurement): string {
  const size = m.maxDimensionCm != null ? cm(m.maxDimensionCm) : "size not recorded";
  return `${day(m.date) ?? "undated,"} ${size}${m.modality ? ` (${m.modality})` : ""}`;
}

/** The lesion an item names (RuleItem.lesionId), when the engine gives one. */
export function lesionOf(assessment: Assessment, lesionId: string | undefined): Lesion | null {
  if (!lesionId) return null;
  return assessment.lesions.find((lesion) => lesion.id === lesionId) ?? null;
}
