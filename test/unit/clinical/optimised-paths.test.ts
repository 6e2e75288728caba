/**
 * The engine's optimised paths (the column store of lab results with its dictionaries and row
 * order, the memos, the duplicate index) give the Assessment that straightforward code gives: the
 * same engine, loaded a second time with straightforward.ts in place of labStore.ts, memo.ts and
 * extract/seen.ts, on one mixed patient in several input orders.
 */
import type { Resource } from "fhir/r4";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { assess as Assess } from "../../../src/clinical";
import * as Straightforward from "./straightforward";
import { AS_OF, LOINC, PID, UCUM, lab, labWithRange, patient, report, ssc } from "./builders";

type Json = Record<string, unknown>;

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const rnd = random(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ANALYTES: [loinc: string, unit: string, mean: number][] = [
  ["17861-6", "mg/dL", 9.6], // calcium
  ["2000-8", "mmol/L", 2.4], // calcium, molar
  ["1995-8", "mmol/L", 1.2], // ionised calcium
  ["2777-1", "mg/dL", 3.8], // phosphate
  ["2777-1", "mmol/L", 1.2],
  ["2731-8", "pg/mL", 50], // PTH
  ["14866-8", "pmol/L", 5.5],
  ["62292-8", "ng/mL", 30], // 25-OH vitamin D
  ["2160-0", "mg/dL", 1.0], // creatinine
  ["14682-9", "umol/L", 85],
  ["33914-3", "mL/min/{1.73_m2}", 70], // eGFR
  ["1751-7", "g/dL", 4.0], // albumin
  ["1751-7", "g/L", 40],
];

const INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

/**
 * One SSc patient with 6,000 lab results over twelve years: every analyte, mass and molar units,
 * ranges as bounds and as text, interpretations, bounded and text values, absent values, unknown
 * and missing units, entered-in-error, undated and partial dates, times with offsets, a panel with
 * two results of one analyte, a duplicate, and one day with many results (more than a column block).
 */
function mixedPatient(): Resource[] {
  const rnd = random(11);
  const out: Resource[] = [
    patient(),
    ssc(),
    report("XR Hip left", "Periarticular calcific mass of the left hip, 3.2 x 2.4 cm.", "2026-02-10"),
  ];
  const start = Date.UTC(2014, 0, 1);
  for (let i = 0; i < 6000; i++) {
    const [code, unit, mean] = ANALYTES[i % ANALYTES.length]!;
    const value = Math.round(mean * (0.6 + rnd() * 0.8) * 100) / 100;
    // A busy day (1,500 results), then one result every ~3 days.
    const day = i < 1500 ? "2020-06-15" : new Date(start + Math.floor(rnd() * 4380) * 86_400_000).toISOString().slice(0, 10);
    const kind = i % 40;
    let obs: Resource;
    if (kind === 1) obs = labWithRange(code, value, unit, mean * 0.8, mean * 1.2, day);
    else if (kind === 2) obs = lab(code, value, unit, `${day}T23:30:00-05:00`);
    else if (kind === 3) obs = lab(code, value, unit, day, { valueQuantity: { value, comparator: "<", unit, system: UCUM, code: unit } });
    else if (kind === 4) obs = lab(code, null, null, day, { valueString: `>${mean}` });
    else if (kind === 5) obs = lab(code, null, null, day, { dataAbsentReason: { coding: [{ code: "error" }] } });
    else if (kind === 6) obs = lab(code, value, "furlongs", day);
    else if (kind === 7) obs = lab(code, value, null, day);
    else if (kind === 8) obs = lab(code, value, unit, day, { status: "entered-in-error" });
    else if (kind === 9) obs = lab(code, value, unit, day, { effectiveDateTime: undefined });
    else if (kind === 10) obs = lab(code, value, unit, day.slice(0, 7));
    else if (kind === 11) obs = lab(code, value, unit, day, { referenceRange: [{ text: "see lab manual" }] });
    else if (kind === 12) obs = lab(code, value, unit, day, { interpretation: [{ coding: [{ system: INTERPRETATION, code: "h" }] }] });
    else obs = lab(code, value, unit, day);
    out.push(obs);
  }
  const panel: Json = {
    resourceType: "Observation",
    id: "panel-1",
    status: "final",
    subject: { reference: `Patient/${PID}` },
    code: { coding: [{ system: LOINC, code: "24362-6" }] },
    effectiveDateTime: "2026-03-01",
    component: [9.1, 9.3].map((value) => ({
      code: { coding: [{ system: LOINC, code: "17861-6" }] },
      valueQuantity: { value, unit: "mg/dL", system: UCUM, code: "mg/dL" },
    })),
  };
  out.push(panel as unknown as Resource, out[40]!); // and a duplicate of an earlier result
  return out;
}

let optimised: typeof Assess;
let straightforward: typeof Assess;

beforeAll(async () => {
  optimised = (await import("../../../src/clinical")).assess;
  vi.resetModules();
  vi.doMock("../../../src/clinical/labStore", () => Straightforward);
  vi.doMock("../../../src/clinical/memo", () => Straightforward);
  vi.doMock("../../../src/clinical/extract/seen", () => Straightforward);
  straightforward = (await import("../../../src/clinical")).assess;
  // The second engine really is the straightforward one.
  expect((await import("../../../src/clinical/labStore")).LabSeries).toBe(Straightforward.LabSeries);
  vi.doUnmock("../../../src/clinical/labStore");
  vi.doUnmock("../../../src/clinical/memo");
  vi.doUnmock("../../../src/clinical/extract/seen");
});

describe("optimised paths against straightforward code", () => {
  const input = mixedPatient();
  const options = { asOf: AS_OF, patientId: PID };

  it("the mixed patient exercises what it is meant to", () => {
    const a = optimised(input, options);
    const calcium = a.labs.calcium!.history!;
    expect(calcium.length).toBeGreaterThan(500);
    expect(calcium.some((r) => r.date === null)).toBe(true);
    expect(calcium.some((r) => r.normalized?.comparator === "<")).toBe(true);
    expect(new Set(calcium.map((r) => r.date)).size).toBeGreaterThan(100);
    expect(a.dataQuality.map((n) => n.code)).toEqual(expect.arrayContaining(["no-date", "unit-unknown", "unit-missing", "duplicate"]));
  });

  it.each([
    ["as generated", (list: Resource[]) => list],
    ["newest first", (list: Resource[]) => [...list].reverse()],
    ["shuffled", (list: Resource[]) => shuffled(list, 3)],
  ])("gives the same Assessment, byte for byte, with the input %s", (_, order) => {
    const list = order(input);
    const expected = JSON.stringify(straightforward(list, options));
    expect(JSON.stringify(optimised(list, options))).toBe(expected);
    // Again, with every memo warm from the call before.
    expect(JSON.stringify(optimised(list, options))).toBe(expected);
  });
});
