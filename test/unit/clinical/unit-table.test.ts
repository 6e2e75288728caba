/**
 * The unit table (src/clinical/unitTable.ts) against @lhncbc/ucum-lhc, its source of truth: the
 * engine converts every unit of the table, and every spelling of one, exactly as it did when it
 * called ucum-lhc (same factors, bit for bit), and converts nothing else.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LabKey } from "../../../src/clinical/types";
import { UNIT_TABLE } from "../../../src/clinical/unitTable";
import { labUnitFactor, lengthToCm, unitFactor } from "../../../src/clinical/units";
import { lab, run, ssc } from "./builders";
import {
  TABLE_UNITS,
  TARGET_UNITS,
  expectedUnitTable,
  referenceCmFactor,
  referenceLabUnitFactor,
  spellings,
  tableSource,
  ucumFactor,
} from "./ucumReference";

const LAB_KEYS: LabKey[] = [
  "calcium",
  "ionizedCalcium",
  "correctedCalcium",
  "albumin",
  "phosphate",
  "pth",
  "vitaminD25",
  "creatinine",
  "boneAlp",
];

/** Every spelling of every table unit, and each with the spaces and stray characters people type. */
const SPELLINGS = [
  ...new Set(TABLE_UNITS.flatMap((u) => [...spellings(u), ` ${u}`, u.replace("/", " / "), u.toUpperCase().replace("/", " /")])),
];

describe("unit table", () => {
  it("is what ucum-lhc gives (regenerate: npx tsx test/unit/clinical/ucumReference.ts --write)", () => {
    const expected = expectedUnitTable();
    if (JSON.stringify(UNIT_TABLE) !== JSON.stringify(expected)) {
      // Print the file to commit, so a ucum-lhc upgrade is one copy away.
      console.error(tableSource(expected));
    }
    expect(UNIT_TABLE).toEqual(expected);
  });

  it("converts between its units by exactly ucum-lhc's factors", () => {
    for (const from of Object.keys(UNIT_TABLE)) {
      for (const to of TARGET_UNITS) expect([from, to, unitFactor(from, to)]).toEqual([from, to, ucumFactor(from, to)]);
    }
  });

  it(`reads all ${SPELLINGS.length} spellings of its units for every analyte as the ucum-lhc engine did`, () => {
    for (const unit of SPELLINGS) {
      for (const key of LAB_KEYS) expect([key, unit, labUnitFactor(key, unit)]).toEqual([key, unit, referenceLabUnitFactor(key, unit)]);
      const cm = referenceCmFactor(unit);
      expect([unit, lengthToCm(1, unit)]).toEqual([unit, cm === null ? null : 1 * cm]);
    }
  });

  it("never guesses: a unit outside the table is unit-unknown, even one UCUM reads", () => {
    // UCUM converts some of these (kg/m3 is g/L; an annotation is ignored); the engine keeps to the
    // table, in the browser and in the CLI alike, so both give the same Assessment.
    for (const unit of [
      "kg/m3",
      "mmol/m3",
      "ng/uL",
      "10*-3.g/L",
      "mg/dL{serum}",
      "mEq/L",
      "meq/L",
      "U/L",
      "IU/L",
      "[foo]",
      "%",
      "mg/24.h",
      "mol",
      "g",
    ]) {
      for (const key of LAB_KEYS) expect([key, unit, labUnitFactor(key, unit)]).toEqual([key, unit, { ok: false, reason: "unit-unknown" }]);
    }
    expect(lengthToCm(2, "[ft_i]")).toBeNull();
    const a = run([ssc(), lab("17861-6", 0.1, "kg/m3")]);
    expect(a.labs.calcium?.latest?.normalized).toBeNull();
    expect(a.dataQuality.find((d) => d.code === "unit-unknown")?.text).toContain('"kg/m3"');
  });

  it("reads the older spellings of mass per decilitre as ucum-lhc does (mg%, mg/100 mL)", () => {
    for (const unit of ["mg%", "MG%", "mg/100mL", "mg/100 ml", "g%", "g/100mL", "ug%", "µg/100mL"]) {
      expect([unit, labUnitFactor("calcium", unit)]).toEqual([unit, referenceLabUnitFactor("calcium", unit)]);
    }
    expect(labUnitFactor("calcium", "mg%")).toEqual({ ok: true, factor: 1 });
    expect(labUnitFactor("albumin", "g%")).toEqual({ ok: true, factor: 1 });
  });

  it("takes a valid UCUM spelling as written (Mg/L is megagrams per litre; PG/ML no concentration)", () => {
    expect(labUnitFactor("creatinine", "Mg/L")).toEqual(referenceLabUnitFactor("creatinine", "Mg/L"));
    expect(labUnitFactor("creatinine", "Mg/L")).toEqual({ ok: true, factor: 1e8 });
    expect(labUnitFactor("pth", "PG/ML")).toEqual({ ok: false, reason: "unit-unknown" });
    expect(labUnitFactor("pth", "PG/mL")).toEqual({ ok: false, reason: "unit-unknown" });
    // Not UCUM as written: read as pg/dL.
    expect(labUnitFactor("pth", "PG/DL")).toEqual({ ok: true, factor: expect.closeTo(0.01, 12) });
    expect(labUnitFactor("pth", "PG/DL")).toEqual(referenceLabUnitFactor("pth", "PG/DL"));
  });

  it("keeps ucum-lhc out of the engine (and so out of the browser bundle)", () => {
    const dir = join(import.meta.dirname, "../../../src/clinical");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    const importers = files.filter((f) =>
      /from\s+["']@lhncbc\/ucum-lhc["']|require\(["']@lhncbc\/ucum-lhc["']\)/.test(readFileSync(join(dir, f), "utf8")),
    );
    expect(importers).toEqual([]);
  });
});
