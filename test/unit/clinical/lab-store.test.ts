/**
 * The column store of lab results (labStore.ts) and the duplicate index (extract/seen.ts), which
 * replaced one object per result: order, values, and the Assessment they give, at scale too.
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assess } from "../../../src/clinical";
import { parseDay } from "../../../src/clinical/dates";
import { SeenIds } from "../../../src/clinical/extract/seen";
import { LabDictionaries, LabSeries } from "../../../src/clinical/labStore";
import { AS_OF, LOINC, PID, UCUM, lab, labWithRange, patient, run, ssc } from "./builders";

function series(): LabSeries {
  return new LabSeries("calcium", new LabDictionaries());
}

function add(s: LabSeries, ref: string, date: string | null, value: number, canonical: number | null = value): number {
  const i = s.push(`Observation/${ref}`, ref, date ? parseDay(date) : null, "mg/dL", undefined, null);
  s.setValue(i, value);
  if (canonical !== null) s.setCanonical(i, canonical);
  return i;
}

const refsOf = (s: LabSeries) => Array.from({ length: s.length }, (_, i) => s.ref(i));

/** Deterministic shuffle (mulberry32). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("LabSeries", () => {
  it("orders by day, then reference, undated last; equal rows keep their input order", () => {
    const s = series();
    add(s, "b", "2026-01-02", 1);
    add(s, "u", null, 2);
    add(s, "a", "2026-01-02", 3);
    add(s, "c", "2025-12-31", 4);
    add(s, "p", "2026-01-01", 5); // a panel: two results of one analyte share a reference
    add(s, "p", "2026-01-01", 6);
    s.seal();
    expect(refsOf(s)).toEqual(["Observation/c", "Observation/p", "Observation/p", "Observation/a", "Observation/b", "Observation/u"]);
    expect([s.value(1), s.value(2)]).toEqual([5, 6]);
    expect(s.isDated(5)).toBe(false);
    expect(s.day(5)).toBeNull();
  });

  it("sorts long runs of one day (in place) and whole series out of day order alike", () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      ref: `r${(i * 7919) % 200}`,
      date: i < 150 ? "2026-03-01" : "2026-03-02",
      value: i,
    }));
    const expected = [...rows].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
    for (const input of [rows, [...rows].reverse(), shuffled(rows, 7)]) {
      const s = series();
      for (const r of input) add(s, r.ref, r.date, r.value);
      s.seal();
      expect(refsOf(s)).toEqual(expected.map((r) => `Observation/${r.ref}`));
      // Every column moved with its row.
      for (let i = 0; i < s.length; i++) expect(s.ref(i)).toBe(`Observation/r${(s.value(i) * 7919) % 200}`);
    }
  });

  it("turns newest-first input around (the loader's order), panels' results still in input order", () => {
    const s = series();
    add(s, "u", null, 0);
    add(s, "d", "2026-01-03", 1);
    add(s, "p", "2026-01-02", 2); // a panel: two results, one reference
    add(s, "p", "2026-01-02", 3);
    add(s, "a", "2026-01-02", 4);
    add(s, "c", "2026-01-01", 5);
    s.seal();
    expect(refsOf(s)).toEqual(["Observation/c", "Observation/a", "Observation/p", "Observation/p", "Observation/d", "Observation/u"]);
    expect(Array.from({ length: s.length }, (_, i) => s.value(i))).toEqual([5, 4, 2, 3, 1, 0]);
  });

  it("gives back what was put in, as a plain fact for the rows a rule reports on", () => {
    const dict = new LabDictionaries();
    const s = new LabSeries("pth", dict);
    const i = s.push("Observation/x", "x", parseDay("2026-02-03"), "pmol/L", "<", "H");
    s.setValue(i, 5.25);
    s.setCanonical(i, 49.51);
    s.setHigh(i, 65);
    s.setRangeText(i, "15-65");
    const j = s.push("Observation/y", "y", null, null, undefined, null);
    s.setValue(j, -0);
    s.seal();
    expect(s.fact(0)).toEqual({
      key: "pth",
      ref: "Observation/x",
      day: parseDay("2026-02-03"),
      value: 5.25,
      unit: "pmol/L",
      comparator: "<",
      canonical: 49.51,
      refLow: undefined,
      refHigh: 65,
      refText: "15-65",
      interp: "H",
    });
    expect(s.fact(1)).toEqual({
      key: "pth",
      ref: "Observation/y",
      day: null,
      value: -0,
      unit: null,
      comparator: undefined,
      canonical: null,
      refLow: undefined,
      refHigh: undefined,
      refText: undefined,
      interp: null,
    });
    expect([s.isExact(0), s.isExact(1)]).toEqual([false, false]); // a bound; no canonical value
  });

  it("finds the exact results (dated, converted, not a bound) forwards and backwards", () => {
    const s = series();
    add(s, "a", "2026-01-01", 1);
    add(s, "b", "2026-01-02", 2, null);
    add(s, "c", "2026-01-03", 3);
    add(s, "d", null, 4);
    s.seal();
    expect([s.nextExact(-1), s.nextExact(0), s.nextExact(2)]).toEqual([0, 2, -1]);
    expect([s.prevExact(s.length), s.prevExact(2), s.prevExact(0)]).toEqual([2, 0, -1]);
  });
});

describe("SeenIds", () => {
  it("flags a (type, id) seen before, not the same id in another type", () => {
    const resources = [
      { resourceType: "Observation", id: "1" },
      { resourceType: "Condition", id: "1" },
      { resourceType: "Observation", id: "1" },
      { resourceType: "Observation", id: "" },
      { resourceType: "Observation", id: "" },
    ];
    const seen = new SeenIds(resources);
    expect(resources.map((r, i) => seen.seenBefore(r.resourceType, r.id, i))).toEqual([false, false, true, false, true]);
  });

  it("agrees with a Set on 20,000 ids with collisions and repeats", () => {
    const resources = Array.from({ length: 20_000 }, (_, i) => ({
      resourceType: i % 3 ? "Observation" : "Condition",
      id: `id-${(i * 48271) % 15_000}`,
    }));
    const seen = new SeenIds(resources);
    const sets = new Map<string, Set<string>>();
    for (let i = 0; i < resources.length; i++) {
      const { resourceType: type, id } = resources[i]!;
      const set = sets.get(type) ?? sets.set(type, new Set()).get(type)!;
      expect(seen.seenBefore(type, id, i)).toBe(set.has(id));
      set.add(id);
    }
  });
});

describe("Assessment from the store", () => {
  it("repeated normalised values and ranges (shared objects) read and serialise as written", () => {
    const results = [
      labWithRange("2000-8", 2.5, "mmol/L", 2.1, 2.6, "2026-01-01"),
      labWithRange("2000-8", 2.5, "mmol/L", 2.1, 2.6, "2026-02-01"),
      lab("17861-6", 10.02, "mg/dL", "2026-03-01"),
      lab("17861-6", 10.02, "mg/dL", "2026-04-01", {
        valueQuantity: { value: 10.02, comparator: "<", unit: "mg/dL", system: UCUM, code: "mg/dL" },
      }),
    ];
    const a = run([ssc(), ...results]);
    const h = a.labs.calcium!.history!;
    expect(h.map((r) => r.normalized)).toEqual([
      { value: 10.02, unit: "mg/dL" },
      { value: 10.02, unit: "mg/dL" },
      { value: 10.02, unit: "mg/dL" },
      { value: 10.02, unit: "mg/dL", comparator: "<" },
    ]);
    expect(h[0]!.referenceRange).toEqual({ unit: "mg/dL", low: 8.42, high: 10.42 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(structuredClone(a)));
  });

  it("keeps the date as written when two spellings give one day number", () => {
    const a = run([ssc(), lab("17861-6", 9, "mg/dL", "1999-05-01"), lab("17861-6", 9.1, "mg/dL", "0099-05-01")]);
    expect(a.labs.calcium!.history!.map((r) => r.date).sort()).toEqual(["0099-05-01", "1999-05-01"]);
  });

  it("gives byte-identical JSON for 6,000 results in any order", () => {
    const subject = { reference: `Patient/${PID}` };
    const codes = ["17861-6", "2000-8", "1751-7", "2777-1", "2731-8", "62292-8", "2160-0", "33914-3"];
    const units = ["mg/dL", "mmol/L", "g/dL", "mg/dL", "pg/mL", "ng/mL", "mg/dL", "mL/min/{1.73_m2}"];
    const obs: Resource[] = Array.from({ length: 6000 }, (_, i) => {
      const k = i % codes.length;
      const day = new Date(Date.UTC(2025, 0, 1) + (i % 400) * 86_400_000).toISOString().slice(0, 10);
      return {
        resourceType: "Observation",
        id: `o${(i * 7) % 6000}-${i % 3}`,
        status: "final",
        subject,
        code: { coding: [{ system: LOINC, code: codes[k]! }] },
        effectiveDateTime: day,
        valueQuantity: { value: Math.round(((i * 37) % 100) + 1) / 10, unit: units[k], system: UCUM, code: units[k] },
        referenceRange: [{ high: { value: 10.2, unit: units[k], system: UCUM, code: units[k] } }],
      } as unknown as Resource;
    });
    const input = [patient(), ssc(), ...obs];
    const first = JSON.stringify(assess(input, { asOf: AS_OF, patientId: PID }));
    for (const seed of [1, 2]) expect(JSON.stringify(assess(shuffled(input, seed), { asOf: AS_OF, patientId: PID }))).toBe(first);
    expect(JSON.stringify(assess([...input].reverse(), { asOf: AS_OF, patientId: PID }))).toBe(first);
  });
});
