/** The report corpus (report-corpus.ts) read by the whole engine: status and lesions per sentence. */
import { describe, expect, it } from "vitest";
import { report, run, ssc } from "./builders";
import { CORPUS } from "./report-corpus";

const lesionKey = (l: { siteGroup: string; laterality: string | null; maxDimensionCm: number | null }) =>
  `${l.siteGroup}|${l.laterality ?? "-"}|${l.maxDimensionCm ?? "-"}`;

describe("the report corpus", () => {
  it("has at least 60 sentences, each once", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((c) => c.text)).size).toBe(CORPUS.length);
  });
  it.each(CORPUS.map((c) => [c.text, c] as const))("%s", (_text, c) => {
    const a = run([ssc(), report(c.title ?? "XR", c.text)]);
    expect({ status: a.status, lesions: a.lesions.map(lesionKey).sort() }).toEqual({ status: c.status, lesions: [...c.lesions].sort() });
  });
});
