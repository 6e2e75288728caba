import { describe, expect, it } from "vitest";
import { nodeExtractor } from "../../src/documents/node";
import { assess } from "../../src/clinical";
import { fhirJson } from "./helpers/fhir-client";
import { BASE, PATIENT, ehr, load, progressOf, record, resetEhr, searchRequests, useFakeEhr, type Res } from "./helpers/fake-ehr";

useFakeEhr();

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const binary = (id: string, contentType: string, text: string): Res => ({ resourceType: "Binary", id, contentType, data: b64(text) });
const note = (id: string, attachments: Record<string, unknown>[], date = "2026-10-01"): Res => ({
  resourceType: "DocumentReference",
  id,
  status: "current",
  type: { coding: [{ system: "http://loinc.org", code: "11488-4" }] },
  subject: { reference: `Patient/${PATIENT}` },
  date,
  content: attachments.map((attachment) => ({ attachment })),
});
const reportWith = (id: string, presentedForm: Record<string, unknown>[]): Res => ({
  resourceType: "DiagnosticReport",
  id,
  status: "final",
  category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD" }] }],
  code: { text: "XR elbow" },
  subject: { reference: `Patient/${PATIENT}` },
  effectiveDateTime: "2026-09-01",
  presentedForm,
});

const HTML = "<html><body><p>Calcific mass of the left elbow measuring 3.4 x 2.1 cm.</p><script>tumoral calcinosis</script></body></html>";

describe("the loader reads report and note attachments", () => {
  it("fetches a Binary once for the report and the note that cite it, with the attachment's Accept, and hands the text to the engine", async () => {
    resetEhr([
      ...record({ reports: 0 }),
      binary("b1", "text/html", HTML),
      reportWith("r1", [{ contentType: "text/html", url: "Binary/b1" }]),
      note("n1", [{ contentType: "text/html", url: `${BASE}/Binary/b1` }]),
    ]);
    const { result } = await load({ extractor: nodeExtractor() });
    const binaries = searchRequests("Binary");
    expect(binaries).toHaveLength(1);
    expect(result.complete).toBe(true);
    expect(result.documents).toEqual({ total: 2, settled: 2, fetches: 1 });
    expect(result.attachments.map((a) => a.key).sort()).toEqual(["DiagnosticReport/r1#presentedForm/0", "DocumentReference/n1#content/0"]);
    expect(result.attachments.every((a) => a.outcome.ok)).toBe(true);
    const a = assess(result.resources, { asOf: "2026-11-21", patientId: PATIENT, attachments: result.attachments });
    expect(a.lesions.some((l) => l.siteGroup === "shoulder-elbow" && l.maxDimensionCm === 3.4)).toBe(true);
    // The script of the HTML is never text: no tumoral calcinosis from it.
    expect(a.status).toBe("probable");
  });

  it("hands over the same resource and attachment lists while nothing is added to them (the screen skips work on them)", async () => {
    resetEhr([
      ...record({ reports: 0 }),
      binary("b1", "text/html", HTML),
      binary("b3", "text/plain", "Follow-up visit."),
      note("n1", [{ contentType: "text/html", url: "Binary/b1" }]),
      note("n3", [{ contentType: "text/plain", url: "Binary/b3" }], "2026-09-01"),
    ]);
    const { result, snapshots } = await load({ extractor: nodeExtractor() });
    const all = [...snapshots, result];
    let sharedResources = 0;
    let sharedTexts = 0;
    for (let i = 1; i < all.length; i++) {
      const [before, after] = [all[i - 1]!, all[i]!];
      const sameResources = before.resources.length === after.resources.length;
      expect(before.resources === after.resources).toBe(sameResources);
      if (sameResources) sharedResources++;
      const sameTexts = JSON.stringify(before.attachments) === JSON.stringify(after.attachments);
      expect(before.attachments === after.attachments).toBe(sameTexts);
      if (sameTexts) sharedTexts++;
    }
    expect(sharedResources).toBeGreaterThan(0);
    expect(sharedTexts).toBeGreaterThan(0);
    expect(result.attachments).toHaveLength(2);
  });

  it("reads a server that answers a Binary read with the FHIR Binary resource", async () => {
    const b2 = binary("b2", "text/plain", "Calcinosis cutis of the fingertips.");
    resetEhr([...record({ reports: 0 }), b2, note("n2", [{ contentType: "text/plain", url: "Binary/b2" }])], {
      fault: ({ type }) => (type === "Binary" ? fhirJson(b2) : undefined),
    });
    const { result } = await load({ extractor: nodeExtractor() });
    expect(result.attachments).toEqual([
      {
        key: "DocumentReference/n2#content/0",
        outcome: expect.objectContaining({ ok: true, text: "Calcinosis cutis of the fingertips." }),
      },
    ]);
  });

  it("reads the preferred format only, and the next one when it fails", async () => {
    resetEhr([
      ...record({ reports: 0 }),
      binary("pdf", "application/pdf", "not a pdf"),
      binary("txt", "text/plain", "Calcinosis of the left hip."),
      note("n3", [
        { contentType: "application/pdf", url: "Binary/pdf" },
        { contentType: "text/plain", url: "Binary/txt" },
      ]),
      note("n4", [
        { contentType: "application/pdf", url: "Binary/missing" },
        { contentType: "image/png", url: "Binary/none" },
      ]),
    ]);
    const { result } = await load({ extractor: nodeExtractor() });
    // n3: text first (preferred), so the PDF is never fetched.
    expect(searchRequests("Binary").map((l) => l.url.pathname)).not.toContain("/fhir/Binary/pdf");
    const n4 = result.attachments.filter((a) => a.key.startsWith("DocumentReference/n4"));
    expect(n4.map((a) => a.outcome.ok)).toEqual([false, false]);
  });

  it("never sends the token outside the FHIR base, and says why the attachment was not read", async () => {
    resetEhr([...record({ reports: 0 }), note("n5", [{ contentType: "text/plain", url: "https://elsewhere.test/Binary/x" }])]);
    const { result } = await load({ extractor: nodeExtractor() });
    expect(searchRequests("Binary")).toHaveLength(0);
    expect(result.attachments[0]!.outcome).toMatchObject({
      ok: false,
      reason: "not-fetched",
      message: expect.stringMatching(/outside the EHR's FHIR server/),
    });
  });

  it("stops at the total budget and lists what was not loaded", async () => {
    const big = "x".repeat(2000);
    resetEhr([
      ...record({ reports: 0 }),
      ...[1, 2, 3].flatMap((i) => [
        binary(`big${i}`, "text/plain", big),
        note(`nb${i}`, [{ contentType: "text/plain", url: `Binary/big${i}` }]),
      ]),
    ]);
    const { result } = await load({ extractor: nodeExtractor(), attachmentLimits: { totalBytes: 3000 }, concurrency: 1 });
    const notLoaded = result.attachments.filter((a) => !a.outcome.ok);
    expect(notLoaded.length).toBeGreaterThan(0);
    expect(notLoaded[0]!.outcome).toMatchObject({ reason: "not-fetched", message: expect.stringMatching(/exceed/) });
  });

  it("searches the US Core note types within the lookback, newest first, and stops at the count cap as a stated limit", async () => {
    resetEhr(
      [
        ...record({ reports: 0 }),
        ...Array.from({ length: 12 }, (_, i) => note(`n${i}`, [{ contentType: "text/plain", data: b64("Seen today.") }])),
      ],
      {
        maxPageSize: 5,
      },
    );
    const { result } = await load({ extractor: nodeExtractor(), quirks: { maxDocuments: 10 } });
    const url = searchRequests("DocumentReference")[0]!.url;
    expect(url.searchParams.get("type")).toContain("http://loinc.org|18748-4");
    expect(url.searchParams.get("date")).toMatch(/^ge\d{4}-\d{2}-\d{2}$/);
    expect(url.searchParams.get("_sort")).toBe("-date");
    expect(progressOf(result, "DocumentReference")).toMatchObject({
      state: "done",
      resources: 10,
      limitNote: expect.stringMatching(/10 most recent/),
    });
    expect(result.unavailable).toEqual([]);
    expect(ehr.log.filter((l) => l.type === "DocumentReference")).toHaveLength(2);
  });
});
