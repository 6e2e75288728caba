import type { Laterality, Lesion, LesionMeasurement, SiteGroup } from "../../../clinical/types";
import { siteLabel } from "../siteLabels";

/** One lesion as the screen shows it: one row, with every dated measurement. */
export interface LesionRow {
  id: string;
  siteGroup: SiteGroup;
  laterality: Laterality;
  label: string;
  /** Largest dimension of the latest measurement with a size, cm; null when none has a size. */
  latestCm: number | null;
  peakCm: number | null;
  firstSeen: string | null;
  /** Oldest first; undated ones last. */
  measurements: LesionMeasurement[];
  evidence: string[];
}

function sideText(l: Pick<Lesion, "siteGroup" | "laterality">): string {
  return l.siteGroup === "spine" ? "midline" : (l.laterality ?? "side not stated");
}

/** The measurements a lesion carries (1.1.0 engine), else the single one its own fields describe. */
function measurementsOf(l: Lesion): LesionMeasurement[] {
  if (l.measurements && l.measurements.length) return l.measurements;
  return [
    {
      date: l.date,
      maxDimensionCm: l.maxDimensionCm,
      dimensionsCm: l.dimensionsCm ?? (l.maxDimensionCm !== null ? [l.maxDimensionCm] : []),
      modality: l.modality ?? null,
      ...(l.sourceText ? { sourceText: l.sourceText } : {}),
      evidence: l.evidence,
    },
  ];
}

function byDate(x: LesionMeasurement, y: LesionMeasurement): number {
  if (x.date === y.date) return 0;
  if (x.date === null) return 1;
  if (y.date === null) return -1;
  return x.date.localeCompare(y.date);
}

const measurementKey = (m: LesionMeasurement) => `${m.date}|${m.maxDimensionCm}|${m.evidence.join(",")}`;

/**
 * Lesions grouped into rows: by Lesion.id when the engine sets it, else by site group and side
 * (clinical-spec.md §6 LESION: one lesion per site group and side), so that two reports of the
 * same mass make one row with a size history, not two lesions.
 */
export function lesionRows(lesions: readonly Lesion[]): LesionRow[] {
  const rows = new Map<string, LesionRow>();
  for (const l of lesions) {
    const id = l.id ?? `${l.siteGroup}|${l.laterality ?? "unknown"}`;
    let row = rows.get(id);
    if (!row) {
      row = {
        id,
        siteGroup: l.siteGroup,
        laterality: l.laterality,
        // The engine's name for the site ("left shoulder", §6 TEXT) as a heading, else group and side.
        label: l.siteLabel ? l.siteLabel.charAt(0).toUpperCase() + l.siteLabel.slice(1) : `${siteLabel(l.siteGroup)}, ${sideText(l)}`,
        latestCm: null,
        peakCm: null,
        firstSeen: null,
        measurements: [],
        evidence: [],
      };
      rows.set(id, row);
    }
    const seen = new Set(row.measurements.map(measurementKey));
    for (const m of measurementsOf(l)) {
      if (!seen.has(measurementKey(m))) row.measurements.push(m);
      seen.add(measurementKey(m));
    }
    for (const e of l.evidence) if (!row.evidence.includes(e)) row.evidence.push(e);
    if (l.peakDimensionCm != null) row.peakCm = Math.max(row.peakCm ?? 0, l.peakDimensionCm);
    if (l.firstSeen && (!row.firstSeen || l.firstSeen < row.firstSeen)) row.firstSeen = l.firstSeen;
  }
  for (const row of rows.values()) {
    row.measurements.sort(byDate);
    const sized = row.measurements.filter((m) => m.maxDimensionCm !== null);
    if (sized.length) {
      row.latestCm = sized[sized.length - 1].maxDimensionCm;
      row.peakCm = Math.max(row.peakCm ?? 0, ...sized.map((m) => m.maxDimensionCm!));
    }
    const dated = row.measurements.find((m) => m.date !== null);
    if (dated?.date && (!row.firstSeen || dated.date < row.firstSeen)) row.firstSeen = dated.date;
  }
  return [...rows.values()];
}

/** "8.8 × 6.8 cm", "10 cm", or "size not stated". */
export function sizeText(m: Pick<LesionMeasurement, "maxDimensionCm" | "dimensionsCm">): string {
  if (m.maxDimensionCm === null) return "size not stated";
  const dims = m.dimensionsCm.length > 1 ? m.dimensionsCm : [m.maxDimensionCm];
  return `${dims.map((d) => Number(d.toFixed(1))).join(" × ")} cm`;
}

/** DICOM modality codes in words, for a clinician. */
const MODALITY_WORDS: Record<string, string> = {
  CR: "X-ray (CR)",
  DX: "X-ray (DX)",
  CT: "CT",
  MR: "MRI",
  US: "ultrasound",
  NM: "scintigraphy",
  PT: "PET",
};

export function modalityText(code: string | null): string {
  if (!code) return "modality not stated";
  return MODALITY_WORDS[code] ?? code;
}
