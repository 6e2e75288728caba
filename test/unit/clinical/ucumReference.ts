/**
 * @lhncbc/ucum-lhc as the source of truth for src/clinical/unitTable.ts (the engine no longer
 * loads it: 61 KB gzipped of the browser bundle). This module
 * - generates the table: the concentration and length units the engine converts, plus every other
 *   spelling of them that UCUM reads as a different unit (UCUM is case-sensitive: "Mg/L" is
 *   megagrams per litre, "PG/ML" petagauss per megalitre);
 * - keeps the engine's former unit conversion (ucum-lhc on the unit as written when UCUM reads it,
 *   else on its case-folded form) as a reference, to check the table against it.
 *
 * Regenerate the table: `npx tsx test/unit/clinical/ucumReference.ts --write`.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import ucum from "@lhncbc/ucum-lhc";
import { ANALYTE_UNITS, EGFR_UNIT, ucumCandidate, type UnitOutcome } from "../../../src/clinical/units";
import type { LabKey } from "../../../src/clinical/types";
import type { UnitEntry, UnitKind } from "../../../src/clinical/unitTable";

interface UcumUnit {
  magnitude_: number;
  cnv_: string | null;
  isArbitrary_: boolean;
  dim_: { dimVec_: number[] } | null;
}

const utils = ucum.UcumLhcUtils.getInstance() as ReturnType<typeof ucum.UcumLhcUtils.getInstance> & {
  getSpecifiedUnit(unit: string, type: string, suggest: boolean): { unit: UcumUnit | null };
};

const MASS = ["g", "mg", "ug", "ng", "pg"];
const AMOUNT = ["mol", "mmol", "umol", "nmol", "pmol"];
const VOLUME = ["L", "dL", "mL"];
const LENGTH = ["m", "cm", "mm", "um", "[in_i]"];

/**
 * Older spellings of mass per decilitre that ucum-lhc reads: UCUM's gram percent (g% = g/dL), and
 * per 100 mL (which ucum-lhc converts in the engine's case-folded form, "ml").
 */
const LEGACY = ["g%", "mg%", "ug%", "g/100ml", "mg/100ml", "ug/100ml"];

/** The units the engine converts: mass and amount per volume, and lengths (lesion sizes). */
export const TABLE_UNITS = [
  ...MASS.flatMap((m) => VOLUME.map((v) => `${m}/${v}`)),
  ...LEGACY,
  ...AMOUNT.flatMap((m) => VOLUME.map((v) => `${m}/${v}`)),
  ...LENGTH,
];

/** The units the engine converts to: each analyte's canonical and alternate unit, and cm. */
export const TARGET_UNITS = [
  ...new Set(
    Object.values(ANALYTE_UNITS)
      .flatMap((a) => [a.canonical, ...(a.alternate ? [a.alternate.unit] : [])])
      .filter((u) => u !== EGFR_UNIT),
  ),
  "cm",
];

const KINDS: Record<string, UnitKind> = {
  "-3,0,1,0,0,0,0": "mass/volume",
  "-3,0,0,0,0,0,0": "amount/volume",
  "1,0,0,0,0,0,0": "length",
};

export function isUcum(unit: string): boolean {
  try {
    return utils.validateUnitString(unit).status === "valid";
  } catch {
    return false;
  }
}

const factorCache = new Map<string, number | null>();

/** ucum-lhc: how many `to` one `from` is, or null. */
export function ucumFactor(from: string, to: string): number | null {
  const key = `${from}\u0000${to}`;
  const hit = factorCache.get(key);
  if (hit !== undefined) return hit;
  let factor: number | null = null;
  try {
    const r = utils.convertUnitTo(from, 1, to);
    if (r.status === "succeeded" && typeof r.toVal === "number" && Number.isFinite(r.toVal)) factor = r.toVal;
  } catch {
    factor = null;
  }
  factorCache.set(key, factor);
  return factor;
}

/** The engine's former reading of a unit: as written when UCUM reads it, else case-folded. */
export function referenceForm(unit: string): string {
  return isUcum(unit) ? unit : ucumCandidate(unit);
}

/** The engine's former labUnitFactor (before the table), verbatim but for the cache. */
export function referenceLabUnitFactor(key: LabKey, unit: string | null): UnitOutcome {
  if (unit === null) return { ok: false, reason: "unit-missing" };
  if (key === "egfr") throw new Error("eGFR units never went through UCUM");
  const spec = ANALYTE_UNITS[key];
  const form = referenceForm(unit);
  const direct = ucumFactor(form, spec.canonical);
  if (direct !== null) return { ok: true, factor: direct };
  if (spec.alternate) {
    const alt = ucumFactor(form, spec.alternate.unit);
    if (alt !== null) return { ok: true, factor: alt * spec.alternate.canonicalPerUnit };
  }
  return { ok: false, reason: "unit-unknown" };
}

/** The engine's former lengthToCm factor. */
export function referenceCmFactor(unit: string): number | null {
  return ucumFactor(referenceForm(unit), "cm");
}

/**
 * Every spelling that the engine's case folding (ucumCandidate) turns into `unit`, short of
 * whitespace (which UCUM never reads): each letter in either case, µ or μ for u, mcg for ug.
 */
export function spellings(unit: string): string[] {
  const out = new Set<string>();
  for (const base of unit.includes("ug") ? [unit, unit.replace("ug", "mcg")] : [unit]) {
    let acc = [""];
    for (const c of base) {
      const options = /[a-z]/i.test(c) ? [c.toLowerCase(), c.toUpperCase()] : [c];
      if (c.toLowerCase() === "u") options.push("µ", "μ");
      acc = acc.flatMap((p) => options.map((o) => p + o));
    }
    for (const s of acc) out.add(s);
  }
  return [...out];
}

function ucumUnit(unit: string): UcumUnit {
  const u = utils.getSpecifiedUnit(unit, "convert", false).unit;
  if (!u) throw new Error(`ucum-lhc does not read ${unit}`);
  return u;
}

/** A table entry from ucum-lhc: the kind of quantity and the magnitude ucum-lhc computes. */
function entryOf(unit: string): UnitEntry | null {
  const u = ucumUnit(unit);
  const kind = u.dim_ && !u.cnv_ && !u.isArbitrary_ ? KINDS[u.dim_.dimVec_.join(",")] : undefined;
  return kind ? [kind, u.magnitude_] : null;
}

/**
 * The table: each unit the engine converts, then each spelling of one that UCUM reads as written
 * and converts otherwise than the case-folded unit (its own entry, or null: never converted).
 */
export function expectedUnitTable(): Record<string, UnitEntry | null> {
  const table: Record<string, UnitEntry | null> = {};
  for (const unit of TABLE_UNITS) {
    // In case-folded form, so that every other spelling folds to it.
    if (ucumCandidate(unit) !== unit) throw new Error(`${unit}: not in case-folded form (${ucumCandidate(unit)})`);
    table[unit] = entryOf(unit);
    if (!table[unit]) throw new Error(`${unit}: ucum-lhc does not read it as a concentration or length`);
  }
  const differ: string[] = [];
  for (const unit of TABLE_UNITS) {
    for (const s of spellings(unit)) {
      if (s in table || !isUcum(s)) continue;
      if (TARGET_UNITS.some((t) => ucumFactor(s, t) !== ucumFactor(unit, t))) differ.push(s);
    }
  }
  for (const s of differ.sort()) table[s] = entryOf(s);
  return table;
}

export function tableSource(table: Record<string, UnitEntry | null>): string {
  const { version } = createRequire(import.meta.url)("@lhncbc/ucum-lhc/package.json") as { version: string };
  const lines = Object.entries(table).map(([k, v]) => `  ${JSON.stringify(k)}: ${v ? `["${v[0]}", ${String(v[1])}]` : "null"},`);
  return `/**
 * The units the engine converts, generated from @lhncbc/ucum-lhc ${version} by
 * test/unit/clinical/ucumReference.ts and checked against it by unit-table.test.ts: do not edit by
 * hand. Each entry is a unit as written and [kind of quantity, magnitude] as ucum-lhc computes
 * them; two units of one kind convert by the ratio of their magnitudes, exactly what ucum-lhc
 * returns. The first entries are the units themselves (mass and amount per volume, including
 * gram percent and per 100 mL, and lengths), in the case-folded form the engine reads unit text
 * in; the others are spellings that UCUM reads as written, as another unit (UCUM is case-sensitive:
 * "Mg/L" is megagrams per litre), or as no concentration at all (null: never converted).
 */
export type UnitKind = "mass/volume" | "amount/volume" | "length";
export type UnitEntry = readonly [kind: UnitKind, magnitude: number];

export const UNIT_TABLE: Readonly<Record<string, UnitEntry | null>> = {
${lines.join("\n")}
};
`;
}

// `npx tsx test/unit/clinical/ucumReference.ts --write` regenerates the table (after a ucum-lhc
// upgrade, or a change of TABLE_UNITS); without --write it prints it.
if (process.argv[1]?.endsWith("ucumReference.ts")) {
  const source = tableSource(expectedUnitTable());
  if (process.argv.includes("--write"))
    writeFileSync(fileURLToPath(new URL("../../../src/clinical/unitTable.ts", import.meta.url)), source);
  else process.stdout.write(source);
}
