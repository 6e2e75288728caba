/**
 * The sandbox serves documents as US Core EHRs do: Binary (raw bytes, or the FHIR resource when
 * asked for FHIR JSON) behind `patient/Binary.r` and the patient's compartment (its securityContext,
 * or the DocumentReference or DiagnosticReport pointing at it); DocumentReference searches like the
 * other types; and Procedure, MedicationRequest and MedicationStatement under the same rules.
 */
import type {
  Binary,
  Bundle,
  DiagnosticReport,
  DocumentReference,
  MedicationRequest,
  MedicationStatement,
  Procedure,
  Resource,
} from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { allPages, fhir, fhirJson, fixture, login } from "./helpers";

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xe2, 0xe3, 0xcf, 0xd3]);
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64");

const binary = (id: string, contentType: string, data: Uint8Array | string, securityContext?: string): Binary => ({
  resourceType: "Binary",
  id,
  contentType,
  data: b64(data),
  ...(securityContext ? { securityContext: { reference: securityContext } } : {}),
});

const NOTE = { system: "http://loinc.org", code: "11506-3" };
const CONSULT = { system: "http://loinc.org", code: "11488-4" };
const CLINICAL_NOTE = { system: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", code: "clinical-note" };

function doc(id: string, patient: string, date: string, url: string, type = NOTE): DocumentReference {
  return {
    resourceType: "DocumentReference",
    id,
    status: "current",
    type: { coding: [type] },
    category: [{ coding: [CLINICAL_NOTE] }],
    subject: { reference: `Patient/${patient}` },
    date,
    content: [{ attachment: { contentType: "text/plain", url } }],
  };
}

/** p1: 30 notes (every 10th a consult) and Binaries reached in each way; p2: its own. */
function documents(): Resource[] {
  const notes = Array.from({ length: 30 }, (_, i) =>
    doc(
      `p1-doc-${i}`,
      "p1",
      new Date(Date.UTC(2020, 0, 1 + i * 40)).toISOString(),
      `Binary/p1-bin-note-${i % 2}`,
      i % 10 === 9 ? CONSULT : NOTE,
    ),
  );
  const report: DiagnosticReport = {
    resourceType: "DiagnosticReport",
    id: "p1-dr",
    status: "final",
    code: { text: "XR Hip" },
    subject: { reference: "Patient/p1" },
    presentedForm: [{ contentType: "application/pdf", url: "Binary/p1-bin-pdf" }],
  };
  const proc = (id: string, patient: string): Procedure => ({
    resourceType: "Procedure",
    id,
    status: "completed",
    code: { text: "Excision of calcinosis, left elbow" },
    subject: { reference: `Patient/${patient}` },
    performedDateTime: "2025-03-01",
  });
  const request = (id: string, patient: string): MedicationRequest => ({
    resourceType: "MedicationRequest",
    id,
    status: "active",
    intent: "order",
    medicationCodeableConcept: { text: "Nifedipine 30 mg" },
    subject: { reference: `Patient/${patient}` },
  });
  const statement = (id: string, patient: string): MedicationStatement => ({
    resourceType: "MedicationStatement",
    id,
    status: "active",
    medicationCodeableConcept: { text: "Calcitriol 0.25 microgram" },
    subject: { reference: `Patient/${patient}` },
  });
  return [
    ...notes,
    report,
    binary("p1-bin-note-0", "text/plain; charset=utf-8", "Note zero: calcinosis of the left elbow, 3 cm.", "Patient/p1"),
    // No securityContext: the notes pointing at it make it p1's.
    binary("p1-bin-note-1", "text/plain; charset=utf-8", "Note one."),
    // Its securityContext is p1's report (as Epic sends them).
    binary("p1-bin-pdf", "application/pdf", PDF, "DiagnosticReport/p1-dr"),
    binary("orphan-bin", "text/plain", "Nobody cites me."),
    doc("p2-doc", "p2", "2024-01-01T00:00:00Z", "Binary/p2-bin"),
    binary("p2-bin", "text/html", "<p>p2's report</p>", "Patient/p2"),
    // p2's by its securityContext, even though a note of p1 cites it.
    doc("p1-doc-cites-p2", "p1", "2019-01-01T00:00:00Z", "Binary/p2-bin-cited"),
    binary("p2-bin-cited", "text/plain", "p2's, whoever cites it", "Patient/p2"),
    proc("p1-proc", "p1"),
    proc("p2-proc", "p2"),
    request("p1-medrx", "p1"),
    request("p2-medrx", "p2"),
    statement("p1-meds", "p1"),
    statement("p2-meds", "p2"),
  ];
}

let sb: RunningSandbox;
/** Reads of Binary and DocumentReference, SMART v2 spelling. */
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [], extraResources: [...fixture(), ...documents()] });
  token = (await login(sb, { scope: "launch patient/Binary.r patient/DocumentReference.rs patient/DiagnosticReport.rs" })).access_token;
});
afterAll(() => sb?.close());

const ids = (b: Bundle) => (b.entry ?? []).map((e) => e.resource!.id!);
const raw = (path: string, t = token, accept = "application/pdf, text/plain;q=0.9, */*;q=0.1") =>
  fhir(sb, t, path, { headers: { accept, origin: "http://localhost:5173" } });

describe("Binary read", () => {
  it("answers the raw bytes with the Binary's content type when the client does not ask for FHIR JSON", async () => {
    const res = await raw("Binary/p1-bin-pdf");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
    // The document is the EHR's, not a page of the sandbox: never sniffed, never run.
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/^sandbox/);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const none = await fhir(sb, token, "Binary/p1-bin-note-0");
    expect(none.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await none.text()).toBe("Note zero: calcinosis of the left elbow, 3 cm.");
  });

  it("answers the FHIR Binary resource (base64 data) to Accept: application/fhir+json or application/json, or _format=json", async () => {
    for (const accept of ["application/fhir+json", "application/json", "application/fhir+json;q=1, */*;q=0.1"]) {
      const res = await raw("Binary/p1-bin-pdf", token, accept);
      expect(res.headers.get("content-type")).toMatch(/^application\/fhir\+json/);
      const resource = (await res.json()) as Binary;
      expect(resource).toMatchObject({ resourceType: "Binary", id: "p1-bin-pdf", contentType: "application/pdf" });
      expect(new Uint8Array(Buffer.from(resource.data!, "base64"))).toEqual(PDF);
    }
    expect((await fhirJson<Binary>(sb, token, "Binary/p1-bin-pdf?_format=json")).data).toBe(b64(PDF));
  });

  it("needs patient/Binary.r (or v1 patient/Binary.read): 403 naming the scope otherwise", async () => {
    const without = (await login(sb, { scope: "launch patient/DocumentReference.rs" })).access_token;
    const res = await raw("Binary/p1-bin-note-0", without);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/^application\/fhir\+json/);
    expect(JSON.stringify(await res.json())).toContain("patient/Binary.rs");
    const v1 = (await login(sb, { scope: "launch patient/Binary.read" })).access_token;
    expect(await (await raw("Binary/p1-bin-note-0", v1)).text()).toContain("Note zero");
  });

  it("reaches the launch patient's Binaries by securityContext, by the resource it names, or by the documents citing it", async () => {
    expect((await raw("Binary/p1-bin-note-0")).status).toBe(200); // securityContext Patient/p1
    expect((await raw("Binary/p1-bin-pdf")).status).toBe(200); // securityContext DiagnosticReport/p1-dr
    expect((await raw("Binary/p1-bin-note-1")).status).toBe(200); // cited by p1's notes only
  });

  it("refuses other patients' Binaries, and Binaries nobody of the patient cites, with 403; unknown ids 404", async () => {
    for (const id of ["p2-bin", "p2-bin-cited", "orphan-bin"]) {
      const res = await raw(`Binary/${id}`);
      expect(res.status, id).toBe(403);
      expect(JSON.stringify(await res.json())).toContain("outside the launch patient's compartment");
    }
    expect((await raw("Binary/nope")).status).toBe(404);
    const p2 = (await login(sb, { patient: "p2", scope: "launch patient/Binary.r" })).access_token;
    expect((await raw("Binary/p2-bin", p2)).status).toBe(200);
    expect((await raw("Binary/p1-bin-note-1", p2)).status).toBe(403);
  });

  it("follows a citation by the absolute URL under the server's base", async () => {
    const admin = (await (await fetch(`${sb.url}/debug/token`, { method: "POST" })).json()).access_token as string;
    const put = (resource: Resource) =>
      fhir(sb, admin, `${resource.resourceType}/${resource.id}`, { method: "PUT", body: JSON.stringify(resource) });
    expect((await put(binary("p1-bin-abs", "text/plain", "Cited by an absolute URL."))).status).toBe(201);
    expect((await raw("Binary/p1-bin-abs")).status).toBe(403);
    const note = doc("p1-doc-abs", "p1", "2026-01-01T00:00:00Z", `${sb.fhirBase}/Binary/p1-bin-abs`);
    expect((await put(note)).status).toBe(201);
    expect(await (await raw("Binary/p1-bin-abs")).text()).toBe("Cited by an absolute URL.");
    await sb.reset();
    expect((await raw("Binary/p1-bin-abs")).status).toBe(404);
  });

  it("searches Binary only inside the compartment", async () => {
    const reader = (await login(sb, { scope: "launch patient/*.rs" })).access_token;
    const found = ids(await fhirJson<Bundle>(sb, reader, "Binary?_count=100"));
    expect(found.sort()).toEqual(expect.arrayContaining(["p1-bin-note-0", "p1-bin-note-1", "p1-bin-pdf"]));
    expect(found.some((id) => id.startsWith("p2-") || id === "orphan-bin")).toBe(false);
    // patient/Binary.r grants read, not search.
    expect((await fhir(sb, token, "Binary")).status).toBe(403);
  });
});

describe("DocumentReference search", () => {
  it("by patient, newest first (_sort=-date), paged by _count with next links", async () => {
    const pages = await allPages(sb, token, "DocumentReference?patient=p1&_sort=-date&_count=7");
    expect(pages.map((p) => p.entry?.length ?? 0)).toEqual([7, 7, 7, 7, 3]);
    const dates = pages.flatMap((p) => (p.entry ?? []).map((e) => (e.resource as DocumentReference).date!));
    expect(dates).toEqual([...dates].sort().reverse());
    expect(pages[0].total).toBe(31);
    expect(ids(pages[0])[0]).toBe("p1-doc-29");
  });

  it("by category, type and date", async () => {
    const byCategory = await fhirJson<Bundle>(
      sb,
      token,
      `DocumentReference?patient=p1&category=${encodeURIComponent(`${CLINICAL_NOTE.system}|clinical-note`)}&_count=100`,
    );
    expect(byCategory.total).toBe(31);
    const consults = await fhirJson<Bundle>(sb, token, "DocumentReference?patient=p1&type=http://loinc.org|11488-4");
    expect(ids(consults).sort()).toEqual(["p1-doc-19", "p1-doc-29", "p1-doc-9"]);
    const recent = await fhirJson<Bundle>(sb, token, "DocumentReference?patient=p1&date=ge2022-11-01&_count=100");
    expect(ids(recent).sort()).toEqual(["p1-doc-26", "p1-doc-27", "p1-doc-28", "p1-doc-29"].sort());
  });

  it("keeps to the compartment and the scopes: other patients 403, no scope 403", async () => {
    expect((await fhir(sb, token, "DocumentReference?patient=p2")).status).toBe(403);
    const all = await fhirJson<Bundle>(sb, token, "DocumentReference?_count=100");
    expect(ids(all).every((id) => id.startsWith("p1-"))).toBe(true);
    const without = (await login(sb, { scope: "launch patient/Binary.r" })).access_token;
    expect((await fhir(sb, without, "DocumentReference?patient=p1")).status).toBe(403);
  });
});

describe("Procedure, MedicationRequest and MedicationStatement", () => {
  const cases = [
    ["Procedure", "patient/Procedure.rs", "patient/Procedure.read"],
    ["MedicationRequest", "patient/MedicationRequest.rs", "patient/MedicationRequest.read"],
    ["MedicationStatement", "patient/MedicationStatement.rs", "patient/MedicationStatement.read"],
  ] as const;

  it.each(cases)("%s: searchable by patient with %s or %s; only the launch patient's", async (type, v2, v1) => {
    for (const scope of [v2, v1]) {
      const t = (await login(sb, { scope: `launch ${scope}` })).access_token;
      expect(ids(await fhirJson<Bundle>(sb, t, `${type}?patient=p1`))).toEqual([expect.stringMatching(/^p1-/)]);
      expect(ids(await fhirJson<Bundle>(sb, t, type))).toEqual([expect.stringMatching(/^p1-/)]);
      expect((await fhir(sb, t, `${type}?patient=p2`)).status).toBe(403);
      const other = ids(await fhirJson<Bundle>(sb, t, type))[0].replace("p1-", "p2-");
      expect((await fhir(sb, t, `${type}/${other}`)).status).toBe(403);
    }
    expect((await fhir(sb, token, `${type}?patient=p1`)).status).toBe(403);
  });
});
