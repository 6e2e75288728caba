/**
 * Update (`PUT <type>/<id>`, update-as-create included) alone and in transactions, under SMART v2
 * `u` (and `c` for a new id) with the patient compartment for patient/ scopes; and the loopback
 * `POST /debug/token` that gives command-line tools a `user/*.cruds` token without a browser.
 */
import { request } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Bundle, Observation, Patient, Resource } from "fhir/r4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadDemoPatients } from "../../sandbox/data/index";
import { handleDebug, RequestLog } from "../../sandbox/debug";
import { UPDATABLE_TYPES } from "../../sandbox/definitions";
import { NO_FAULTS } from "../../sandbox/faults";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { Sessions } from "../../sandbox/sessions";
import { SandboxStore } from "../../sandbox/store";
import { CALCIUM, fhir, fhirJson, fixture, login } from "./helpers";

let sb: RunningSandbox;
/** user/*.cruds, from POST /debug/token. */
let admin: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [], extraResources: fixture() });
  admin = (await (await fetch(`${sb.url}/debug/token`, { method: "POST" })).json()).access_token;
});
afterAll(() => sb?.close());
beforeEach(() => sb.reset());

const put = (path: string, body: unknown, token = admin, headers: Record<string, string> = {}) =>
  fhir(sb, token, path, { method: "PUT", body: JSON.stringify(body), headers });

function calcium(id: string, patient = "p1", value = 9.4): Observation {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: CALCIUM }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: "2026-01-05",
    valueQuantity: { value, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
  };
}

const ids = (resources: Resource[]) => resources.map((r) => `${r.resourceType}/${r.id}`);

describe("PUT <type>/<id>", () => {
  it("creates a resource with the client's id (201, Location, ETag) and records the write", async () => {
    const res = await put("Observation/ca-new", calcium("ca-new"));
    expect(res.status).toBe(201);
    const saved = (await res.json()) as Observation;
    expect(saved.id).toBe("ca-new");
    expect(res.headers.get("location")).toBe(`${sb.fhirBase}/Observation/ca-new/_history/${saved.meta!.versionId}`);
    expect(res.headers.get("etag")).toBe(`W/"${saved.meta!.versionId}"`);
    expect((await fhirJson<Observation>(sb, admin, "Observation/ca-new")).valueQuantity!.value).toBe(9.4);
    expect(ids(sb.writes())).toEqual(["Observation/ca-new"]);
  });

  it("updates an existing resource (200, new version); reset brings the old one back", async () => {
    const before = await fhirJson<Observation>(sb, admin, "Observation/p1-obs-0");
    const res = await put("Observation/p1-obs-0", { ...before, valueQuantity: { ...before.valueQuantity, value: 12.5 } });
    expect(res.status).toBe(200);
    const after = (await res.json()) as Observation;
    expect(after.meta!.versionId).not.toBe(before.meta!.versionId);
    expect((await fhirJson<Observation>(sb, admin, "Observation/p1-obs-0")).valueQuantity!.value).toBe(12.5);
    await sb.reset();
    expect(await fhirJson<Observation>(sb, admin, "Observation/p1-obs-0")).toEqual(before);
  });

  it("records an update that changes nothing as a write too", async () => {
    const current = await fhirJson<Observation>(sb, admin, "Observation/p1-obs-3");
    expect((await put("Observation/p1-obs-3", current)).status).toBe(200);
    expect((await put("Observation/p1-obs-3", current)).status).toBe(200);
    expect(ids(sb.writes())).toEqual(["Observation/p1-obs-3", "Observation/p1-obs-3"]);
    const logged = await (await fetch(`${sb.url}/debug/writes`)).json();
    expect(logged.total).toBe(2);
  });

  it("honours If-Match", async () => {
    const current = await fhirJson<Observation>(sb, admin, "Observation/p1-obs-4");
    expect((await put("Observation/p1-obs-4", current, admin, { "if-match": 'W/"not-the-version"' })).status).toBe(412);
    expect((await put("Observation/p1-obs-4", current, admin, { "if-match": `W/"${current.meta!.versionId}"` })).status).toBe(200);
    expect(sb.writes()).toHaveLength(1);
  });

  it("refuses a body whose id or type does not match the URL, an invalid resource, and types it does not update", async () => {
    expect((await put("Observation/other-id", calcium("ca-1"))).status).toBe(400);
    expect((await put("Condition/ca-1", calcium("ca-1"))).status).toBe(400);
    const invalid = await put("Observation/ca-2", { resourceType: "Observation", id: "ca-2", subject: { reference: "Patient/p1" } });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(await invalid.json())).toMatch(/status|code/);
    const issue = { resourceType: "DetectedIssue", id: "d1", status: "preliminary", patient: { reference: "Patient/p1" } };
    expect((await put("DetectedIssue/d1", issue)).status).toBe(405);
    expect((await put("Observation", calcium("ca-3"))).status).toBe(405);
    expect(sb.writes()).toEqual([]);
  });
});

describe("update scopes", () => {
  it("needs u to update, and c as well to create by update, naming the missing permission", async () => {
    const readOnly = (await login(sb, { scope: "launch patient/*.rs" })).access_token;
    const current = await fhirJson<Observation>(sb, readOnly, "Observation/p1-obs-1");
    const refused = await put("Observation/p1-obs-1", current, readOnly);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toContain("update on Observation");

    const updateOnly = (await login(sb, { scope: "launch patient/*.rs patient/Observation.u" })).access_token;
    expect((await put("Observation/p1-obs-1", current, updateOnly)).status).toBe(200);
    const noCreate = await put("Observation/ca-new", calcium("ca-new"), updateOnly);
    expect(noCreate.status).toBe(403);
    expect(JSON.stringify(await noCreate.json())).toContain("create on Observation");

    const both = (await login(sb, { scope: "launch patient/*.rs patient/Observation.cu" })).access_token;
    expect((await put("Observation/ca-new", calcium("ca-new"), both)).status).toBe(201);
    expect(ids(sb.writes())).toEqual(["Observation/p1-obs-1", "Observation/ca-new"]);
  });

  it("keeps patient/ scopes inside the launch patient's compartment", async () => {
    const token = (await login(sb, { scope: "launch patient/*.cruds" })).access_token; // launch patient p1
    // Another patient's resource, by id: refused, whether it exists or would be created.
    expect((await put("Observation/p2-obs-0", calcium("p2-obs-0", "p2"), token)).status).toBe(403);
    expect((await put("Observation/ca-p2", calcium("ca-p2", "p2"), token)).status).toBe(403);
    // Moving one of p1's resources to p2 is refused too.
    const moved = await put("Observation/p1-obs-2", calcium("p1-obs-2", "p2"), token);
    expect(moved.status).toBe(403);
    expect(JSON.stringify(await moved.json())).toContain("Patient/p2");
    // The launch patient's own resources and Patient record can be updated.
    expect((await put("Observation/p1-obs-2", calcium("p1-obs-2", "p1", 10.1), token)).status).toBe(200);
    const me = await fhirJson<Patient>(sb, token, "Patient/p1");
    expect((await put("Patient/p1", { ...me, gender: "other" }, token)).status).toBe(200);
    expect((await put("Patient/p2", { resourceType: "Patient", id: "p2", gender: "male" }, token)).status).toBe(403);
    expect(ids(sb.writes())).toEqual(["Observation/p1-obs-2", "Patient/p1"]);
  });

  it("lets a user/*.cruds token reach every patient", async () => {
    expect((await put("Observation/p2-obs-0", calcium("p2-obs-0", "p2", 8.8))).status).toBe(200);
    expect((await put("Patient/p3", { resourceType: "Patient", id: "p3", gender: "female" })).status).toBe(201);
    expect(ids(sb.writes())).toEqual(["Observation/p2-obs-0", "Patient/p3"]);
  });
});

describe("PUT entries in a transaction", () => {
  const tx = (...resources: Resource[]): Bundle => ({
    resourceType: "Bundle",
    type: "transaction",
    entry: resources.map((r) => ({
      fullUrl: `${sb.fhirBase}/${r.resourceType}/${r.id}`,
      resource: r as never,
      request: { method: "PUT" as const, url: `${r.resourceType}/${r.id}` },
    })),
  });
  const post = (body: unknown, token = admin) => fhir(sb, token, "", { method: "POST", body: JSON.stringify(body) });

  it("creates (201) and updates (200) with the given ids, references between them kept", async () => {
    const patient: Patient = { resourceType: "Patient", id: "p9", gender: "female", birthDate: "1960-02-03" };
    const current = await fhirJson<Observation>(sb, admin, "Observation/p1-obs-5");
    const res = await post(tx(patient, calcium("p9-ca", "p9"), { ...current, status: "amended" } as Observation));
    expect(res.status).toBe(200);
    const response = (await res.json()) as Bundle;
    expect(response.entry!.map((e) => e.response!.status)).toEqual(["201", "201", "200"]);
    expect(ids(sb.writes())).toEqual(["Patient/p9", "Observation/p9-ca", "Observation/p1-obs-5"]);
    const found = await fhirJson<Bundle>(sb, admin, "Observation?patient=p9");
    expect(found.entry!.map((e) => e.resource!.id)).toEqual(["p9-ca"]);
    expect((await fhirJson<Observation>(sb, admin, "Observation/p1-obs-5")).status).toBe("amended");
  });

  it("is all or nothing: a refused update undoes the others", async () => {
    const token = (await login(sb, { scope: "launch patient/*.cruds" })).access_token;
    const res = await post(tx(calcium("p1-new", "p1"), calcium("p2-obs-1", "p2")), token);
    expect(res.status).toBe(403);
    expect((await res.json()).resourceType).toBe("OperationOutcome");
    expect(sb.writes()).toEqual([]);
    expect((await fhir(sb, admin, "Observation/p1-new")).status).toBe(404);
  });

  it("refuses conditional updates, which it does not offer", async () => {
    const bundle: Bundle = {
      resourceType: "Bundle",
      type: "transaction",
      entry: [{ resource: calcium("x") as never, request: { method: "PUT", url: "Observation?identifier=urn:x|1" } }],
    };
    const res = await post(bundle);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("conditional update");
    expect((await put("Observation?identifier=urn:x|1", calcium("x"))).status).toBe(405);
    expect(sb.writes()).toEqual([]);
  });
});

describe("CapabilityStatement", () => {
  it("lists update (and update-as-create) for every type of the demo data, not for the others", async () => {
    const cs = await (await fetch(`${sb.fhirBase}/metadata`)).json();
    const byType = Object.fromEntries(cs.rest[0].resource.map((r: { type: string }) => [r.type, r]));
    const demoTypes = new Set(loadDemoPatients().flatMap((p) => p.resources.map((r) => r.resourceType)));
    for (const type of demoTypes) expect(UPDATABLE_TYPES as readonly string[]).toContain(type);
    for (const type of UPDATABLE_TYPES) {
      expect(byType[type].interaction.map((i: { code: string }) => i.code)).toContain("update");
      expect(byType[type].updateCreate).toBe(true);
    }
    expect(byType.DetectedIssue.interaction.map((i: { code: string }) => i.code)).not.toContain("update");
  });
});

describe("POST /debug/token", () => {
  it("mints a user/*.cruds token that reads and updates any patient's data", async () => {
    const res = await fetch(`${sb.url}/debug/token`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const token = await res.json();
    expect(token).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, scope: "user/*.cruds" });
    const both = await fhirJson<Bundle>(sb, token.access_token, "Patient?_count=10");
    expect(both.entry!.map((e) => e.resource!.id).sort()).toEqual(["p1", "p2"]);
    expect((await put("Observation/p2-obs-2", calcium("p2-obs-2", "p2"), token.access_token)).status).toBe(200);
  });

  it("answers POST only, and only requests addressed to a loopback host name", async () => {
    expect((await fetch(`${sb.url}/debug/token`)).status).toBe(404);
    // A page reaching the sandbox through DNS rebinding would send its own host name.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: sb.port, path: "/debug/token", method: "POST", headers: { host: `rebound.example:${sb.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it("is refused to clients that are not on this machine", async () => {
    let status = 0;
    let body = "";
    const req = {
      method: "POST",
      headers: { host: "localhost:4010" },
      socket: { remoteAddress: "192.0.2.7" },
    } as unknown as IncomingMessage;
    const res = {
      writeHead: (s: number) => void (status = s),
      end: (b: string) => void (body = b),
    } as unknown as ServerResponse;
    const sessions = new Sessions();
    await handleDebug(req, res, "/debug/token", {
      store: new SandboxStore(),
      requests: new RequestLog(),
      fhirBase: "http://localhost:4010/fhir",
      reset: async () => {},
      sessions,
      tokenLifetimeS: 3600,
      faults: NO_FAULTS,
    });
    expect(status).toBe(403);
    expect(body).not.toContain("access_token");
  });
});
