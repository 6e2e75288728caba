import { beforeAll, describe, expect, it } from "vitest";
import type {
  Attachment,
  Binary,
  Bundle,
  Coding,
  Condition,
  DiagnosticReport,
  DocumentReference,
  ImagingStudy,
  Observation,
  Patient,
  Resource,
} from "fhir/r4";
import { ATTACHMENT_ONLY_IDS, DEMO_PATIENT_IDS, demoPatient, loadDemoPatients, type DemoPatient } from "../../sandbox/data";
import { ELBOW_CT_FINDINGS, ELBOW_CT_IMPRESSION } from "../../sandbox/data/attachments/sources";
import { FINGERTIP_NOTE_FINDING } from "../../sandbox/data/doc-notes";
import { generateLargeResources } from "../../sandbox/data/large";
import { XSS, longParagraph } from "../../sandbox/data/xss-strings";
import { validationErrors } from "../support/fhir-validation";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const DATA_DIR = join(import.meta.dirname, "../../sandbox/data");
const jsonBundles = () =>
  readdirSync(DATA_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ file: f, bundle: JSON.parse(readFileSync(join(DATA_DIR, f), "utf8")) as Bundle }));

/**
 * The demo patients are fixtures for the sandbox, the engine's acceptance tests and the UI security
 * tests: they must be valid FHIR R4, self-consistent per patient, and faithful to clinical-spec.md.
 */

let patients: DemoPatient[];

beforeAll(() => {
  patients = loadDemoPatients();
}, 30_000);

const byId = (id: string) => {
  const p = patients.find((x) => x.id === id);
  if (!p) throw new Error(`no demo patient ${id}`);
  return p;
};
const ofType = <T extends Resource>(p: DemoPatient, type: T["resourceType"]) => p.resources.filter((r) => r.resourceType === type) as T[];
const hasCode = (codings: Coding[] | undefined, system: string, code: string) =>
  (codings ?? []).some((c) => c.system === system && c.code === code);
const LOINC = "http://loinc.org";

/** Every attachment of a patient's reports and documents. */
const attachments = (p: DemoPatient): Attachment[] => [
  ...ofType<DiagnosticReport>(p, "DiagnosticReport").flatMap((r) => r.presentedForm ?? []),
  ...ofType<DocumentReference>(p, "DocumentReference").flatMap((d) => d.content.map((c) => c.attachment)),
];
const SCT = "http://snomed.info/sct";

/** The latest usable numeric result for a LOINC code, in the unit it was sent in. */
function result(p: DemoPatient, loinc: string) {
  const hits = ofType<Observation>(p, "Observation").filter(
    (o) => o.status !== "entered-in-error" && hasCode(o.code.coding, LOINC, loinc) && o.valueQuantity,
  );
  return hits.map((o) => ({ value: o.valueQuantity?.value, unit: o.valueQuantity?.code, range: o.referenceRange?.[0] }));
}

describe("demo patients: the list", () => {
  it("has the fourteen fixed ids, loaded synchronously", () => {
    expect(Array.isArray(patients)).toBe(true);
    expect(patients.map((p) => p.id)).toEqual([
      "modena-1",
      "modena-2",
      "modena-3",
      "ssc-no-calcinosis",
      "ssc-ckd",
      "no-ssc",
      "large",
      "xss-strings",
      "ssc-spine",
      "doc-html-report",
      "doc-pdf-report",
      "doc-rtf-letter",
      "doc-text-note",
      "doc-scanned-pdf",
    ]);
    expect(DEMO_PATIENT_IDS).toEqual(patients.map((p) => p.id));
    expect(patients.every((p) => p.summary.length > 20 && !p.summary.includes("\n"))).toBe(true);
  });

  it("states the expected status of each patient", () => {
    expect(Object.fromEntries(patients.map((p) => [p.id, p.expectedStatus]))).toEqual({
      "modena-1": "documented",
      "modena-2": "documented",
      "modena-3": "probable",
      "ssc-no-calcinosis": "no-evidence",
      "ssc-ckd": "probable",
      "no-ssc": "not-applicable",
      large: "probable",
      "xss-strings": "probable",
      "ssc-spine": "probable",
      "doc-html-report": "documented",
      "doc-pdf-report": "probable",
      "doc-rtf-letter": "probable",
      "doc-text-note": "possible",
      "doc-scanned-pdf": "indeterminate",
    });
  });

  it("hands out copies, so one caller's edits never reach the next", () => {
    const a = demoPatient("modena-3")!;
    (a.resources[0] as Patient).birthDate = "1900-01-01";
    expect((demoPatient("modena-3")!.resources[0] as Patient).birthDate).toBe("1972-06-14");
    expect(demoPatient("nobody")).toBeUndefined();
  });
});

describe("demo patients: FHIR R4 validity and references", () => {
  it("every resource is valid FHIR R4", () => {
    const errors: string[] = [];
    for (const p of patients) {
      for (const r of p.resources) {
        for (const e of validationErrors(r)) errors.push(`${p.id} ${r.resourceType}/${r.id} ${e}`);
      }
    }
    expect(errors).toEqual([]);
    // 6,000+ resources, attachments among them: more than the default 5 s on a loaded machine.
  }, 30_000);

  it("the JSON files are valid collection Bundles, one per hand-written patient, loaded as they are", () => {
    const files = jsonBundles();
    expect(files.map((f) => f.file).sort()).toEqual(
      ["modena-1", "modena-2", "modena-3", "no-ssc", "ssc-ckd", "ssc-no-calcinosis"].map((id) => `${id}.json`),
    );
    for (const { file, bundle } of files) {
      expect(bundle.type, file).toBe("collection");
      expect(validationErrors(bundle), file).toEqual([]);
      const id = file.replace(/\.json$/, "");
      expect(byId(id).resources, file).toEqual(bundle.entry?.map((e) => e.resource));
    }
  });

  it("ids are present and unique per type across all patients", () => {
    const seen = new Set<string>();
    const dupes: string[] = [];
    for (const p of patients) {
      for (const r of p.resources) {
        expect(r.id, `${p.id} ${r.resourceType} without id`).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
        const key = `${r.resourceType}/${r.id}`;
        if (seen.has(key)) dupes.push(key);
        seen.add(key);
      }
    }
    expect(dupes).toEqual([]);
  });

  it("each patient has exactly one Patient, and every other resource points to it", () => {
    for (const p of patients) {
      const pts = ofType<Patient>(p, "Patient");
      expect(
        pts.map((x) => x.id),
        p.id,
      ).toEqual([p.id]);
      for (const r of p.resources) {
        if (r.resourceType === "Patient") continue;
        if (r.resourceType === "Binary") {
          // A Binary belongs to the patient through its securityContext or the documents citing it.
          const context = (r as Binary).securityContext?.reference;
          const owner = context?.startsWith("Patient/")
            ? context
            : context && p.resources.some((x) => `${x.resourceType}/${x.id}` === context)
              ? `Patient/${p.id}`
              : undefined;
          const cited = attachments(p).some((a) => a.url === `Binary/${r.id}`);
          expect(owner ?? (cited ? `Patient/${p.id}` : undefined), `${p.id} Binary/${r.id}`).toBe(`Patient/${p.id}`);
          continue;
        }
        const ref = r as { subject?: { reference?: string }; patient?: { reference?: string } };
        expect(ref.subject?.reference ?? ref.patient?.reference, `${p.id} ${r.resourceType}/${r.id}`).toBe(`Patient/${p.id}`);
      }
    }
  });

  it("report -> study references resolve within the patient", () => {
    for (const p of patients) {
      const studies = new Set(ofType<ImagingStudy>(p, "ImagingStudy").map((s) => `ImagingStudy/${s.id}`));
      for (const r of ofType<DiagnosticReport>(p, "DiagnosticReport")) {
        for (const s of r.imagingStudy ?? []) expect(studies.has(s.reference!), `${p.id} ${r.id}`).toBe(true);
      }
    }
  });

  it("attachment urls point at a Binary of the same patient with the same content type; inline ones carry data", () => {
    let urls = 0;
    for (const p of patients) {
      for (const a of attachments(p)) {
        if (!a.url) {
          expect(a.data, `${p.id} ${a.title}`).toBeTruthy();
          expect(a.size).toBe(Buffer.from(a.data!, "base64").length);
          continue;
        }
        urls++;
        const target = ofType<Binary>(p, "Binary").find((b) => a.url === `Binary/${b.id}`);
        expect(target?.contentType, `${p.id} ${a.url}`).toBe(a.contentType);
        expect(a.size).toBe(Buffer.from(target!.data!, "base64").length);
      }
    }
    expect(urls).toBeGreaterThan(150);
  });

  it("every quantity is UCUM-coded", () => {
    const bad: string[] = [];
    for (const p of patients) {
      for (const o of ofType<Observation>(p, "Observation")) {
        for (const q of [o.valueQuantity, ...(o.component ?? []).map((c) => c.valueQuantity)]) {
          if (q && (q.system !== "http://unitsofmeasure.org" || !q.code)) bad.push(`${p.id} ${o.id}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("demo patients: clinical fidelity (clinical-spec.md §1 and §4)", () => {
  it("Modena case 1: labs as published, MRI names pseudotumoral calcinosis with 12x11 cm", () => {
    const p = byId("modena-1");
    expect(result(p, "17861-6")[0]).toMatchObject({ value: 9.4, unit: "mg/dL" });
    expect(result(p, "2777-1")[0]).toMatchObject({ value: 3.6, unit: "mg/dL" });
    expect(result(p, "17838-4")[0]).toMatchObject({ value: 7.3, unit: "ug/L" });
    expect(result(p, "1989-3")[0]).toMatchObject({ value: 31.5, unit: "ng/mL" });
    expect(result(p, "2731-8")[0]).toMatchObject({ value: 33.7, unit: "pg/mL" });
    const ssc = ofType<Condition>(p, "Condition").find((c) => hasCode(c.code?.coding, SCT, "299276009"));
    expect(ssc?.onsetDateTime).toBe("2012-07");
    const mri = ofType<DiagnosticReport>(p, "DiagnosticReport").find((r) => r.id === "modena-1-dr-mr-shoulder");
    expect(mri?.conclusion).toMatch(/12x11 cm/);
    expect(mri?.conclusion).toMatch(/pseudotumoral calcinosis/i);
  });

  it("Modena case 2: no invented Ca/P/PTH/vitamin D/renal values, elbow sizes, spine re-review and histology", () => {
    const p = byId("modena-2");
    const labs = ofType<Observation>(p, "Observation").filter((o) => o.valueQuantity || o.component);
    expect(labs).toEqual([]);
    const reports = ofType<DiagnosticReport>(p, "DiagnosticReport");
    expect(reports.map((r) => r.conclusion).join(" ")).toContain("3x2.1x3,4 cm");
    expect(reports.map((r) => r.conclusion).join(" ")).toContain("2.8x1.5x5.7 cm");
    expect(reports.find((r) => r.id === "modena-2-dr-ct-spine-review")?.conclusion).toMatch(/paravertebral.*intracanal/s);
    const path = reports.find((r) => r.category?.some((c) => hasCode(c.coding, LOINC, "LP7839-6")));
    expect(path?.conclusion).toMatch(/sclero-necrotic calcific material/);
  });

  it("Modena case 3: descriptive X-ray 8,8x6,8 cm two years before a 10x9 cm CT; PTH above its 15-65 range", () => {
    const p = byId("modena-3");
    const xr = ofType<DiagnosticReport>(p, "DiagnosticReport").find((r) => r.id === "modena-3-dr-xr-chest");
    expect(xr?.conclusion).toContain("8,8x6,8 cm");
    expect(xr?.conclusion).not.toMatch(/tumou?ral/i);
    expect(xr?.effectiveDateTime?.slice(0, 7)).toBe("2024-10");
    const ct = ofType<DiagnosticReport>(p, "DiagnosticReport").find((r) => r.id === "modena-3-dr-ct-thorax");
    expect(ct?.conclusion).toContain("10x9 cm");
    expect(ct?.effectiveDateTime?.slice(0, 7)).toBe("2026-10");
    const pth = result(p, "2731-8")[0];
    expect(pth).toMatchObject({ value: 86.5, unit: "pg/mL" });
    expect([pth.range?.low?.value, pth.range?.high?.value]).toEqual([15, 65]);
  });

  it("ages and SSc durations match the paper as of 2026-11-21", () => {
    const years = (from: string) =>
      (Date.parse("2026-11-21") - Date.parse(from.length === 7 ? `${from}-01` : from)) / (365.25 * 86_400_000);
    const expected: Record<string, [number, number]> = { "modena-1": [81, 14], "modena-2": [41, 17], "modena-3": [54, 12] };
    for (const [id, [age, duration]] of Object.entries(expected)) {
      const p = byId(id);
      expect(Math.floor(years(ofType<Patient>(p, "Patient")[0].birthDate!)), id).toBe(age);
      const onset = ofType<Condition>(p, "Condition").find((c) => c.id === `${id}-cond-ssc`)!.onsetDateTime!;
      expect(Math.floor(years(onset)), id).toBe(duration);
    }
  });

  it("ssc-ckd: eGFR 25 and 22 more than 90 days apart, SI units, a panel and a retracted result", () => {
    const p = byId("ssc-ckd");
    const egfr = ofType<Observation>(p, "Observation").filter((o) => hasCode(o.code.coding, LOINC, "98979-8"));
    expect(egfr.map((o) => o.valueQuantity?.value)).toEqual([25, 22]);
    const gapDays = (Date.parse(egfr[1].effectiveDateTime!) - Date.parse(egfr[0].effectiveDateTime!)) / 86_400_000;
    expect(gapDays).toBeGreaterThan(90);
    expect(result(p, "14682-9")[0]).toMatchObject({ value: 192, unit: "umol/L" });
    expect(result(p, "2777-1")[0]).toMatchObject({ value: 6.1 });
    expect(result(p, "2731-8")[0]).toMatchObject({ value: 240 });
    const panel = ofType<Observation>(p, "Observation").find((o) => o.component?.length);
    expect(panel?.component?.map((c) => c.valueQuantity?.code)).toEqual(["mmol/L", "mmol/L", "g/L"]);
    expect(ofType<Observation>(p, "Observation").filter((o) => o.status === "entered-in-error")).toHaveLength(1);
  });

  it("the data carries the variety the engine must survive", () => {
    const all = patients.flatMap((p) => p.resources);
    const obs = all.filter((r): r is Observation => r.resourceType === "Observation");
    expect(obs.some((o) => o.valueQuantity?.comparator)).toBe(true);
    expect(obs.some((o) => o.dataAbsentReason && !o.valueQuantity)).toBe(true);
    expect(all.some((r) => r.resourceType === "Condition" && !(r as Condition).code?.coding && (r as Condition).code?.text)).toBe(true);
    const refuted = all.filter(
      (r) =>
        r.resourceType === "Condition" &&
        hasCode((r as Condition).verificationStatus?.coding, "http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted"),
    );
    expect(refuted.map((r) => r.id)).toEqual(["no-ssc-cond-ssc-refuted"]);
  });

  it("no-ssc has calcinosis cutis but no SSc diagnosis that counts", () => {
    const p = byId("no-ssc");
    const conditions = ofType<Condition>(p, "Condition");
    expect(conditions.some((c) => hasCode(c.code?.coding, "http://hl7.org/fhir/sid/icd-10-cm", "L94.2"))).toBe(true);
    const ssc = conditions.filter(
      (c) => hasCode(c.code?.coding, SCT, "89155008") || c.code?.coding?.some((x) => x.code?.startsWith("M34")),
    );
    expect(ssc.every((c) => c.verificationStatus?.coding?.[0].code === "refuted")).toBe(true);
  });

  it("ssc-no-calcinosis has no calcinosis text and no imaging in the last 24 months", () => {
    const p = byId("ssc-no-calcinosis");
    // The patient's own id says "no-calcinosis"; every clinical text must not mention calcification.
    expect(JSON.stringify(p.resources).replaceAll(p.id, "")).not.toMatch(/calcif|calcinosis/i);
    const studies = ofType<ImagingStudy>(p, "ImagingStudy");
    expect(studies.every((s) => s.started! < "2024-11-21")).toBe(true);
  });
});

describe("demo patients whose evidence is in attachments (issue 12)", () => {
  const text = (p: DemoPatient, a: Attachment) => {
    const data = a.data ?? ofType<Binary>(p, "Binary").find((b) => a.url === `Binary/${b.id}`)?.data;
    return Buffer.from(data ?? "", "base64");
  };

  it("ages and SSc durations as the README says, as of 2026-11-21", () => {
    const years = (from: string) => (Date.parse("2026-11-21") - Date.parse(from)) / (365.25 * 86_400_000);
    const expected: Record<string, [number, number]> = {
      "doc-html-report": [57, 9],
      "doc-pdf-report": [63, 15],
      "doc-rtf-letter": [49, 7],
      "doc-text-note": [66, 20],
      "doc-scanned-pdf": [58, 11],
    };
    expect(Object.keys(expected)).toEqual(ATTACHMENT_ONLY_IDS);
    for (const [id, [age, duration]] of Object.entries(expected)) {
      const p = byId(id);
      expect(Math.floor(years(ofType<Patient>(p, "Patient")[0].birthDate!)), id).toBe(age);
      const ssc = ofType<Condition>(p, "Condition").find((c) => c.id === `${id}-cond-ssc`)!;
      expect(ssc.clinicalStatus?.coding?.[0].code, id).toBe("active");
      expect(Math.floor(years(ssc.onsetDateTime!)), id).toBe(duration);
    }
  });

  it("say nothing of calcinosis outside their attachments", () => {
    for (const id of ATTACHMENT_ONLY_IDS) {
      const outside = byId(id)
        .resources.filter((r) => r.resourceType !== "Binary" && r.resourceType !== "DocumentReference")
        .map((r) => (r.resourceType === "DiagnosticReport" ? { ...r, presentedForm: undefined } : r));
      expect(JSON.stringify(outside), id).not.toMatch(/calcif|calcinos|tumou?ral/i);
      expect(attachments(byId(id)).length, id).toBeGreaterThan(0);
    }
  });

  it("doc-html-report: an HTML CT report with no conclusion; the side only in the linked study", () => {
    const p = byId("doc-html-report");
    const [report] = ofType<DiagnosticReport>(p, "DiagnosticReport");
    expect(report.conclusion).toBeUndefined();
    expect(report.presentedForm).toEqual([
      expect.objectContaining({ contentType: "text/html", url: "Binary/doc-html-report-bin-ct-elbow" }),
    ]);
    const html = text(p, report.presentedForm![0]).toString("utf8");
    for (const part of ["<style>", "<h2>Findings</h2>", "&amp;", ELBOW_CT_FINDINGS, ELBOW_CT_IMPRESSION]) expect(html).toContain(part);
    expect(html).not.toMatch(/\b(left|right)\b/i);
    const study = ofType<ImagingStudy>(p, "ImagingStudy").find((s) => `ImagingStudy/${s.id}` === report.imagingStudy?.[0].reference);
    expect(study?.series?.[0].bodySite?.code).toBe("16953009");
    expect(study?.series?.[0].laterality?.code).toBe("7771000");
  });

  it("doc-text-note: an inline ISO-8859-1 note, garbled if read as UTF-8", () => {
    const p = byId("doc-text-note");
    const [note] = ofType<DocumentReference>(p, "DocumentReference");
    expect(note.type?.coding?.[0].code).toBe("11506-3");
    const attachment = note.content[0].attachment;
    expect(attachment.contentType).toBe("text/plain; charset=ISO-8859-1");
    const bytes = text(p, attachment);
    expect(new TextDecoder("iso-8859-1").decode(bytes)).toContain("Hélène Brunner");
    expect(new TextDecoder("utf-8").decode(bytes)).not.toContain("Hélène");
    expect(new TextDecoder("iso-8859-1").decode(bytes)).toContain(FINGERTIP_NOTE_FINDING);
  });

  it("doc-rtf-letter: a consult note whose RTF Binary is reachable only through it", () => {
    const p = byId("doc-rtf-letter");
    const [letter] = ofType<DocumentReference>(p, "DocumentReference");
    expect(letter.type?.coding?.[0].code).toBe("11488-4");
    expect(letter.category?.[0].coding?.[0].code).toBe("clinical-note");
    const [rtf] = ofType<Binary>(p, "Binary");
    expect(rtf.securityContext).toBeUndefined();
    expect(text(p, letter.content[0].attachment).toString("latin1")).toMatch(/^\{\\rtf1/);
  });
});

describe("demo patients: large and xss-strings", () => {
  it("large has 200 clinical notes over 15 years, most behind a Binary, one naming the hip mass", () => {
    const p = byId("large");
    const notes = ofType<DocumentReference>(p, "DocumentReference");
    expect(notes).toHaveLength(200);
    const dates = notes.map((n) => n.date!).sort();
    expect(Number(dates.at(-1)!.slice(0, 4)) - Number(dates[0].slice(0, 4))).toBeGreaterThanOrEqual(14);
    const viaUrl = notes.filter((n) => n.content[0].attachment.url);
    expect(viaUrl.length).toBeGreaterThan(150);
    expect(notes.length - viaUrl.length).toBeGreaterThan(20);
    const texts = notes.map((n) => {
      const a = n.content[0].attachment;
      const data = a.data ?? ofType<Binary>(p, "Binary").find((b) => a.url === `Binary/${b.id}`)!.data!;
      return Buffer.from(data, "base64").toString("utf8");
    });
    const hip = texts.filter((t) => /calcif|calcinos/i.test(t));
    expect(hip).toHaveLength(1);
    expect(hip[0]).toMatch(/left hip calcific mass, 3\.2 cm/);
    expect(texts.every((t) => !/tumou?ral|ulcer|fistul|infect/i.test(t))).toBe(true);
  });

  it("large has at least 5,000 lab Observations with fixed ids, generated identically on every run", () => {
    const obs = ofType<Observation>(byId("large"), "Observation");
    expect(obs.length).toBeGreaterThanOrEqual(5000);
    const generated = obs.filter((o) => /^large-obs-\d{6}$/.test(o.id!));
    expect(generated.length).toBeGreaterThanOrEqual(5000);
    expect(generated[0].id).toBe("large-obs-000001");
    expect(generated.at(-1)!.id).toBe(`large-obs-${String(generated.length).padStart(6, "0")}`);
    // Deterministic (seeded): the sandbox serves the same record on every start. Its speed is not
    // asserted here (a loaded CI machine would make that flaky): the sandbox starts it once.
    const first = JSON.stringify(generateLargeResources());
    expect(JSON.stringify(generateLargeResources()) === first).toBe(true);
  });

  it("large spreads every analyte over about 15 years", () => {
    const obs = ofType<Observation>(byId("large"), "Observation").filter((o) => /^large-obs-\d{6}$/.test(o.id!));
    for (const code of ["17861-6", "2777-1", "2731-8", "62292-8", "2160-0", "98979-8", "1751-7"]) {
      const dates = obs
        .filter((o) => hasCode(o.code.coding, LOINC, code))
        .map((o) => o.effectiveDateTime!)
        .sort();
      expect(dates.length, code).toBeGreaterThan(20);
      expect(Number(dates.at(-1)!.slice(0, 4)) - Number(dates[0].slice(0, 4)), code).toBeGreaterThanOrEqual(14);
    }
  });

  it("xss-strings carries the markup, verbatim, in the fields the UI shows", () => {
    const p = byId("xss-strings");
    const pt = ofType<Patient>(p, "Patient")[0];
    expect(pt.name?.[0].family).toBe(XSS.patientName);
    const ssc = ofType<Condition>(p, "Condition").find((c) => c.id === "xss-strings-cond-ssc");
    expect(ssc?.code?.text).toBe(XSS.conditionText);
    const report = ofType<DiagnosticReport>(p, "DiagnosticReport")[0];
    expect(report.conclusion).toContain("<b>bold</b>");
    expect(report.conclusion).toContain("2.5 cm");
    expect(longParagraph()).toHaveLength(5000);
    expect(report.conclusion).toContain(longParagraph());
  });
});
