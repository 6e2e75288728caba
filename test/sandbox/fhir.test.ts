/**
 * The sandbox's FHIR endpoint: tokens, patient compartment, scopes, Medplum search semantics,
 * paging links, conditional create, transactions and the write log.
 */
import type { Bundle, DocumentReference, Provenance, Resource } from "fhir/r4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { CALCIUM, PHOSPHATE, allPages, fhir, fhirJson, fixture, login } from "./helpers";

let sb: RunningSandbox;
/** The app's scopes: reads, and creates of the write-back types. */
let token: string;
/** Reads and searches of every type, to check what was written. */
let reader: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [], extraResources: fixture() });
  token = (await login(sb)).access_token;
  reader = (await login(sb, { scope: "launch patient/*.rs" })).access_token;
});
afterAll(() => sb?.close());
beforeEach(() => sb.reset());

const ids = (b: Bundle) => (b.entry ?? []).map((e) => e.resource!.id!);

function note(patient = "p1", identifier = "note-1"): DocumentReference {
  return {
    resourceType: "DocumentReference",
    status: "current",
    identifier: [{ system: "https://example.org/finding", value: identifier }],
    type: { coding: [{ system: "http://loinc.org", code: "11488-4" }] },
    subject: { reference: `Patient/${patient}` },
    content: [{ attachment: { contentType: "text/plain; charset=utf-8", data: Buffer.from("Assessment").toString("base64") } }],
  };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}, t = token) =>
  fhir(sb, t, path, { method: "POST", body: JSON.stringify(body), headers });

describe("access tokens", () => {
  it("refuses a request without a token, or with an unknown one, with 401 and WWW-Authenticate", async () => {
    const none = await fhir(sb, undefined, "Patient/p1");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await none.json()).resourceType).toBe("OperationOutcome");
    const bogus = await fhir(sb, "not-a-token", "Observation?patient=p1");
    expect(bogus.status).toBe(401);
    expect(bogus.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
  });

  it("answers in application/fhir+json with CORS for the app's origin", async () => {
    const res = await fhir(sb, token, "Patient/p1", { headers: { origin: "http://localhost:5173" } });
    expect(res.headers.get("content-type")).toMatch(/^application\/fhir\+json/);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });
});

describe("patient compartment", () => {
  it("shows only the launch patient's data", async () => {
    const all = await fhirJson<Bundle>(sb, token, "Observation?_count=100");
    expect(all.total).toBe(25);
    expect(ids(all).every((id) => id.startsWith("p1-"))).toBe(true);
    expect((await fhir(sb, token, "Observation?patient=p2")).status).toBe(403);
    expect((await fhir(sb, token, "Observation?subject=Patient/p2")).status).toBe(403);
    expect((await fhir(sb, token, "Observation/p2-obs-1")).status).toBe(403);
    expect((await fhir(sb, token, "Patient/p2")).status).toBe(403);
    const patients = await fhirJson<Bundle>(sb, reader, "Patient");
    expect(ids(patients)).toEqual(["p1"]);
  });

  it("refuses to create a resource about another patient", async () => {
    const res = await post("DocumentReference", note("p2"));
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toMatch(/Patient\/p2/);
    expect(sb.writes()).toEqual([]);
  });
});

describe("scopes", () => {
  it("refuses an Observation search without an Observation scope, naming the missing scope", async () => {
    const narrow = await login(sb, { scope: "launch patient/Patient.r patient/Condition.rs" });
    expect(narrow.scope).toBe("launch patient/Patient.r patient/Condition.rs");
    const res = await fhir(sb, narrow.access_token, "Observation?patient=p1");
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain("patient/Observation.rs");
    expect((await fhir(sb, narrow.access_token, "Condition?patient=p1")).status).toBe(200);
  });

  it("tells read from search, and create from both", async () => {
    const readOnly = await login(sb, { scope: "launch patient/Observation.r patient/DocumentReference.c" });
    expect((await fhir(sb, readOnly.access_token, "Observation/p1-obs-1")).status).toBe(200);
    expect((await fhir(sb, readOnly.access_token, "Observation?patient=p1")).status).toBe(403);
    expect((await post("Observation", {}, {}, readOnly.access_token)).status).toBe(405);
    // Create-only may still create conditionally: the If-None-Exist look-up is the server's own.
    const created = await post(
      "DocumentReference",
      note(),
      { "if-none-exist": "identifier=https://example.org/finding|note-1" },
      readOnly.access_token,
    );
    expect(created.status).toBe(201);
    expect((await fhir(sb, readOnly.access_token, "DocumentReference?patient=p1")).status).toBe(403);
  });

  it("accepts SMART v1 scopes", async () => {
    const v1 = await login(sb, { scope: "launch patient/*.read" });
    expect((await fhir(sb, v1.access_token, "Observation?patient=p1")).status).toBe(200);
    expect((await post("DocumentReference", note(), {}, v1.access_token)).status).toBe(403);
  });
});

describe("search (Medplum semantics)", () => {
  it("matches several system|code tokens, category and patient, sorted by -date", async () => {
    const q = `Observation?patient=p1&category=laboratory&code=http://loinc.org|${CALCIUM},http://loinc.org|${PHOSPHATE}&_sort=-date&_count=100`;
    const both = await fhirJson<Bundle>(sb, token, q);
    expect(both.total).toBe(25);
    const dates = both.entry!.map((e) => (e.resource as { effectiveDateTime: string }).effectiveDateTime);
    expect(dates).toEqual([...dates].sort().reverse());
    const calcium = await fhirJson<Bundle>(sb, token, `Observation?patient=p1&code=http://loinc.org|${CALCIUM}`);
    expect(calcium.total).toBe(15);
    expect((await fhirJson<Bundle>(sb, token, `Observation?patient=p1&code=http://other.org|${CALCIUM}`)).total).toBe(0);
  });

  it("treats bare ids and type modifiers in reference parameters as the patient", async () => {
    expect((await fhirJson<Bundle>(sb, token, "Observation?subject=p1&_count=0")).total).toBe(25);
    expect((await fhirJson<Bundle>(sb, token, "Observation?subject:Patient=p1&_count=0")).total).toBe(25);
  });

  it("searches by identifier", async () => {
    expect(ids(await fhirJson<Bundle>(sb, reader, "Patient?identifier=urn:example:mrn|MRN-1"))).toEqual(["p1"]);
    expect((await fhirJson<Bundle>(sb, reader, "Patient?identifier=urn:example:mrn|MRN-9")).total).toBe(0);
  });

  it("refuses unknown or unsupported search parameters with a 400 rather than an empty result", async () => {
    expect((await fhir(sb, token, "Observation?colour=blue")).status).toBe(400);
    expect((await fhir(sb, token, "Observation?value-quantity=gt5")).status).toBe(400);
    expect((await fhir(sb, token, "Observation?_count=-1")).status).toBe(400);
    expect((await fhir(sb, token, "Unicorn?patient=p1")).status).toBe(404);
  });
});

describe("paging", () => {
  it("follows next links with _count=10 to the exact total, without duplicates", async () => {
    const pages = await allPages(sb, token, "Observation?patient=p1&_count=10&_sort=-date");
    expect(pages.map((p) => p.entry?.length)).toEqual([10, 10, 5]);
    const seen = pages.flatMap(ids);
    expect(new Set(seen).size).toBe(25);
    expect(pages[0].total).toBe(25);
    const next = pages[0].link!.find((l) => l.relation === "next")!.url;
    expect(next.startsWith(`${sb.fhirBase}/Observation?`)).toBe(true);
    expect(new URL(next).searchParams.get("_sort")).toBe("-date");
    expect(pages[2].link!.some((l) => l.relation === "next")).toBe(false);
  });

  it("caps _count at the maximum page size and says so in the links", async () => {
    const small = await startSandbox({ port: 0, patients: [], extraResources: fixture(), maxPageSize: 7, defaultPageSize: 5 });
    try {
      const t = (await login(small)).access_token;
      const page = await fhirJson<Bundle>(small, t, "Observation?patient=p1&_count=50");
      expect(page.entry).toHaveLength(7);
      expect(new URL(page.link!.find((l) => l.relation === "next")!.url).searchParams.get("_count")).toBe("7");
      expect((await fhirJson<Bundle>(small, t, "Observation?patient=p1")).entry).toHaveLength(5);
      const pages = await allPages(small, t, "Observation?patient=p1&_count=50");
      expect(new Set(pages.flatMap(ids)).size).toBe(25);
    } finally {
      await small.close();
    }
  });
});

describe("writes", () => {
  it("creates with a server id, Location and ETag, and records the write", async () => {
    const res = await post("DocumentReference", { ...note(), id: "client-chosen" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as DocumentReference;
    expect(created.id).not.toBe("client-chosen");
    expect(res.headers.get("location")).toMatch(new RegExp(`^${sb.fhirBase}/DocumentReference/${created.id}/_history/`));
    expect(res.headers.get("etag")).toMatch(/^W\/"/);
    const writes = await (await fetch(`${sb.url}/debug/writes`)).json();
    expect(writes.resourceType).toBe("Bundle");
    expect(writes.entry.map((e: { resource: Resource }) => e.resource.id)).toEqual([created.id]);
  });

  it("creates once with If-None-Exist, however often the request is sent", async () => {
    const headers = { "if-none-exist": "identifier=https://example.org/finding|note-1" };
    const first = await post("DocumentReference", note(), headers);
    const second = await post("DocumentReference", note(), headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await second.json()).id).toBe((await first.json()).id);
    expect(sb.writes()).toHaveLength(1);
  });

  it("honours Prefer: return=minimal", async () => {
    const res = await post("DocumentReference", note(), { prefer: "return=minimal" });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("");
    expect(res.headers.get("location")).toBeTruthy();
  });

  it("refuses an invalid resource with the validation issues", async () => {
    const res = await post("DocumentReference", { resourceType: "DocumentReference", subject: { reference: "Patient/p1" } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/status|content/);
    expect(sb.writes()).toEqual([]);
  });

  it("refuses non-JSON bodies and types it does not create", async () => {
    expect(
      (await fhir(sb, token, "DocumentReference", { method: "POST", body: "{", headers: { "content-type": "application/fhir+json" } }))
        .status,
    ).toBe(400);
    expect((await post("Patient", { resourceType: "Patient" })).status).toBe(405);
    expect((await fhir(sb, token, "Patient/p1", { method: "DELETE" })).status).toBe(405);
  });
});

describe("transactions", () => {
  function writeBack(patient = "p1", issues = 1): Bundle {
    const entries: NonNullable<Bundle["entry"]> = [
      {
        fullUrl: "urn:uuid:00000000-0000-4000-8000-000000000001",
        resource: note(patient),
        request: { method: "POST", url: "DocumentReference", ifNoneExist: "identifier=https://example.org/finding|note-1" },
      },
    ];
    for (let i = 0; i < issues; i++) {
      entries.push({
        fullUrl: `urn:uuid:00000000-0000-4000-8000-1000000000${String(i).padStart(2, "0")}`,
        resource: {
          resourceType: "DetectedIssue",
          status: "preliminary",
          identifier: [{ system: "https://example.org/finding", value: `issue-${i}` }],
          patient: { reference: `Patient/${patient}` },
          detail: `Finding ${i}`,
        },
        request: { method: "POST", url: "DetectedIssue", ifNoneExist: `identifier=https://example.org/finding|issue-${i}` },
      });
    }
    entries.push({
      fullUrl: "urn:uuid:00000000-0000-4000-8000-000000000002",
      resource: {
        resourceType: "Provenance",
        meta: { tag: [{ system: "https://example.org/finding", code: "provenance-1" }] },
        target: [{ reference: "urn:uuid:00000000-0000-4000-8000-000000000001" }],
        recorded: "2026-11-21T10:00:00Z",
        agent: [{ who: { reference: "Practitioner/dr-who" } }],
      } as Provenance,
      // Provenance has no identifier search parameter; the app finds its own by tag.
      request: { method: "POST", url: "Provenance", ifNoneExist: "_tag=https://example.org/finding|provenance-1" },
    });
    return { resourceType: "Bundle", type: "transaction", entry: entries };
  }

  it("resolves urn:uuid references and records every resource", async () => {
    const res = await post("", writeBack());
    expect(res.status).toBe(200);
    const response = (await res.json()) as Bundle;
    expect(response.type).toBe("transaction-response");
    expect(response.entry!.map((e) => e.response!.status)).toEqual(["201", "201", "201"]);
    const docId = response.entry![0].response!.location!.split("/")[1];
    const provenance = sb.writes().find((r) => r.resourceType === "Provenance") as Provenance;
    expect(provenance.target[0].reference).toBe(`DocumentReference/${docId}`);
    const logged = await (await fetch(`${sb.url}/debug/writes`)).json();
    expect(logged.entry.map((e: { resource: Resource }) => e.resource.resourceType)).toEqual([
      "DocumentReference",
      "DetectedIssue",
      "Provenance",
    ]);
  });

  it("does not duplicate conditional entries when the transaction is retried, even with many of them", async () => {
    const first = await post("", writeBack("p1", 12));
    expect(first.status).toBe(200);
    expect(sb.writes()).toHaveLength(14);
    const retry = await post("", writeBack("p1", 12));
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as Bundle).entry!.map((e) => e.response!.status)).toEqual(Array(14).fill("200"));
    // The Provenance is found again although R4 puts it in the compartment only via a Patient target.
    expect(sb.writes()).toHaveLength(14);
  });

  it("is all or nothing: one refused entry undoes the others", async () => {
    const bundle = writeBack();
    (bundle.entry![1].resource as { patient: { reference: string } }).patient.reference = "Patient/p2";
    const res = await post("", bundle);
    expect(res.status).toBe(403);
    expect((await res.json()).resourceType).toBe("OperationOutcome");
    expect(sb.writes()).toEqual([]);
    expect((await fhirJson<Bundle>(sb, reader, "DocumentReference?patient=p1")).total).toBe(0);
  });

  it("POST /debug/reset forgets the writes and the data they created", async () => {
    await post("", writeBack());
    expect((await fhirJson<Bundle>(sb, reader, "DocumentReference?patient=p1")).total).toBe(1);
    expect((await fetch(`${sb.url}/debug/reset`, { method: "POST" })).status).toBe(200);
    expect((await (await fetch(`${sb.url}/debug/writes`)).json()).total).toBe(0);
    expect((await fhirJson<Bundle>(sb, reader, "DocumentReference?patient=p1")).total).toBe(0);
  });
});

describe("basic capabilities (no transaction, no conditional create)", () => {
  it("lists neither, refuses transactions and ignores If-None-Exist", async () => {
    const basic = await startSandbox({ port: 0, patients: [], extraResources: fixture(), capabilities: "basic" });
    try {
      const cs = await (await fetch(`${basic.fhirBase}/metadata`)).json();
      expect(cs.rest[0].interaction).toBeUndefined();
      const doc = cs.rest[0].resource.find((r: { type: string }) => r.type === "DocumentReference");
      expect(doc.conditionalCreate).toBe(false);
      expect(doc.interaction.map((i: { code: string }) => i.code)).toContain("create");

      const t = (await login(basic)).access_token;
      const tx = await fhir(basic, t, "", {
        method: "POST",
        body: JSON.stringify({ resourceType: "Bundle", type: "transaction", entry: [] }),
      });
      expect(tx.status).toBe(405);
      const headers = { "if-none-exist": "identifier=https://example.org/finding|note-1" };
      for (let i = 0; i < 2; i++) {
        expect((await fhir(basic, t, "DocumentReference", { method: "POST", body: JSON.stringify(note()), headers })).status).toBe(201);
      }
      expect(basic.writes()).toHaveLength(2);
    } finally {
      await basic.close();
    }
  });
});
