/**
 * The parts of the lab store (labColumns.ts, labDictionaries.ts, labOrder.ts) and the engine's
 * memo (memo.ts), each on its own.
 */
import { describe, expect, it } from "vitest";
import { parseDay } from "../../../src/clinical/dates";
import { NumberColumn, StringColumn } from "../../../src/clinical/labColumns";
import { Dictionary, LabDictionaries } from "../../../src/clinical/labDictionaries";
import { sortedOrder } from "../../../src/clinical/labOrder";
import { Memo } from "../../../src/clinical/memo";

function column(values: number[]): NumberColumn {
  const c = new NumberColumn();
  for (const v of values) c.push(v);
  return c;
}

function strings(values: string[]): StringColumn {
  const c = new StringColumn();
  for (const v of values) c.push(v);
  return c;
}

describe("NumberColumn", () => {
  it("keeps every entry across block boundaries (1,024 a block), and set overwrites one", () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? NaN : i * 1.5 - 300));
    const c = column(values);
    expect(c.length).toBe(5000);
    expect(Array.from({ length: c.length }, (_, i) => c.get(i))).toEqual(values);
    for (const i of [0, 1023, 1024, 2047, 2048, 4999]) c.set(i, -i - 0.25);
    for (const i of [0, 1023, 1024, 2047, 2048, 4999]) expect(c.get(i)).toBe(-i - 0.25);
    expect([c.get(1022), c.get(1025)]).toEqual([values[1022], values[1025]]);
  });
});

describe("StringColumn", () => {
  it("keeps every entry across block boundaries (1,024 a block)", () => {
    const values = Array.from({ length: 3100 }, (_, i) => `Observation/o${i}`);
    const c = strings(values);
    expect(c.length).toBe(3100);
    expect(Array.from({ length: c.length }, (_, i) => c.get(i))).toEqual(values);
  });
});

describe("Dictionary and LabDictionaries", () => {
  it("gives one code per distinct value, 0 for null, and the value back by code", () => {
    const d = new Dictionary<string>();
    const codes = ["mg/dL", null, "mmol/L", "mg/dL", "mmol/L"].map((v) => d.code(v));
    expect(codes).toEqual([1, 0, 2, 1, 2]);
    expect(codes.map((c) => d.values[c])).toEqual(["mg/dL", null, "mmol/L", "mg/dL", "mmol/L"]);
  });

  it("keys days by their object: two spellings of one day number keep their own text", () => {
    const dict = new LabDictionaries();
    const a = parseDay("1999-05-01")!;
    const b = parseDay("0099-05-01")!;
    const codes = [a, b, a].map((d) => dict.days.code(d));
    expect(codes[0]).toBe(codes[2]);
    expect(codes[0]).not.toBe(codes[1]);
    expect(dict.days.values[codes[1]!]!.iso).toBe("0099-05-01");
  });
});

describe("sortedOrder", () => {
  /** The order Array.prototype.sort (stable) gives rows sorted by day, then key. */
  function expectedOrder(days: number[], keys: string[]): number[] {
    return days.map((_, i) => i).sort((a, b) => days[a]! - days[b]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  }

  it("orders by day, then key; equal rows keep their input order; rows already in order stay", () => {
    const days = [3, 1, 3, 2, 1, 1, 9];
    const keys = ["b", "z", "a", "m", "c", "c", "a"];
    expect(sortedOrder(column(days), strings(keys))).toEqual([4, 5, 1, 3, 2, 0, 6]);
    expect(sortedOrder(column([1, 1, 2]), strings(["a", "b", "a"]))).toEqual([0, 1, 2]);
    expect(sortedOrder(column([]), strings([]))).toEqual([]);
  });

  it("agrees with a stable sort on long series: ascending, newest first, and shuffled within days", () => {
    const n = 3000;
    const ascending = Array.from({ length: n }, (_, i) => Math.floor(i / 5));
    const keys = Array.from({ length: n }, (_, i) => `o${(i * 7919) % 400}`);
    for (const days of [ascending, [...ascending].reverse(), ascending.map((d, i) => (i % 3 ? d : n - d))]) {
      expect(sortedOrder(column(days), strings(keys))).toEqual(expectedOrder(days, keys));
    }
  });
});

describe("Memo", () => {
  it("remembers values (null included) and empties itself at its limit", () => {
    const m = new Memo<string, number | null>(3);
    m.set("a", 1);
    m.set("b", null);
    expect([m.get("a"), m.get("b"), m.get("c")]).toEqual([1, null, undefined]);
    m.set("c", 3);
    m.set("d", 4); // the fourth key: the memo starts again
    expect([m.get("a"), m.get("b"), m.get("c"), m.get("d")]).toEqual([undefined, undefined, undefined, 4]);
  });
});
