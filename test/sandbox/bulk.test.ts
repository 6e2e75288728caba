/**
 * The sandbox as a Backend Services authorisation server and Bulk Data export server: client
 * registration with a JWKS, the client_credentials grant with a private_key_jwt assertion (every
 * check of the SMART spec has a test that breaks it), and $export kick-off, status, files, cancel.
 * Assertions are signed here with node:crypto, independently of the screening client's code.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import type { Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OBSERVATION_CODE_GROUPS } from "../../src/clinical";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { DEMO_PATIENT_IDS } from "../../sandbox/data/index";

interface Client {
  id: string;
  kid: string;
  alg: "ES384" | "RS384";
  key: KeyObject;
}

let sb: RunningSandbox;
let tokenUrl: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, bulk: { retryAfterS: 0, pollsBeforeReady: 2, fileMaxResources: 500, refusedTypes: ["Procedure"] } });
  tokenUrl = `${sb.url}/auth/token`;
});
afterAll(() => sb?.close());

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function assertion(c: Client, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key = c.key): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: c.alg, kid: c.kid, typ: "JWT", ...header })}.${b64({ iss: c.id, sub: c.id, aud: tokenUrl, exp: now + 120, jti: randomUUID(), ...claims })}`;
  const sig = sign("sha384", Buffer.from(head), c.alg === "ES384" ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${head}.${sig.toString("base64url")}`;
}

async function register(alg: "ES384" | "RS384", scope?: string): Promise<Client> {
  const { privateKey, publicKey } =
    alg === "ES384" ? generateKeyPairSync("ec", { namedCurve: "P-384" }) : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = `k-${randomUUID()}`;
  const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid }] };
  const res = await fetch(`${sb.url}/auth/backend-clients`, { method: "POST", body: JSON.stringify({ jwks, scope }) });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { client_id: string };
  return { id: body.client_id, kid, alg, key: privateKey };
}

async function token(jwt: string, scope = "system/Patient.rs system/Observation.rs system/Condition.rs") {
  const res = await fetch(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: jwt,
    }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { access_token?: string; scope?: string; error?: string; error_description?: string },
  };
}

describe("backend services: registration and client_credentials", () => {
  it("registers a public JWKS; refuses a private key, a key without kid and a P-256 key", async () => {
    const post = (body: unknown) => fetch(`${sb.url}/auth/backend-clients`, { method: "POST", body: JSON.stringify(body) });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect((await post({ jwks: { keys: [{ ...ec.privateKey.export({ format: "jwk" }), kid: "a" }] } })).status).toBe(400);
    expect((await post({ jwks: { keys: [ec.publicKey.export({ format: "jwk" })] } })).status).toBe(400);
    expect((await post({ jwks: { keys: [{ ...p256.publicKey.export({ format: "jwk" }), kid: "b" }] } })).status).toBe(400);
    expect((await post({ jwks: { keys: [{ ...ec.publicKey.export({ format: "jwk" }), kid: "c" }] }, scope: "patient/*.rs" })).status).toBe(
      400,
    );
  });

  it.each(["ES384", "RS384"] as const)("issues a token for a valid %s assertion, with the scopes asked for", async (alg) => {
    const c = await register(alg);
    const r = await token(assertion(c));
    expect(r.status).toBe(200);
    expect(r.body.access_token).toMatch(/^\S{20,}$/);
    expect(r.body.scope).toBe("system/Patient.rs system/Observation.rs system/Condition.rs");
  });

  it("refuses a replayed jti, a wrong aud, a far or past exp, another key's signature, a wrong kid or alg, iss != sub", async () => {
    const c = await register("ES384");
    const other = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
    const jti = randomUUID();
    expect((await token(assertion(c, { jti }))).status).toBe(200);
    const cases: [string, string][] = [
      [assertion(c, { jti }), "replay"],
      [assertion(c, { aud: `${sb.url}/other` }), "aud"],
      [assertion(c, { exp: Math.floor(Date.now() / 1000) + 3600 }), "five minutes"],
      [assertion(c, { exp: Math.floor(Date.now() / 1000) - 10 }), "expired"],
      [assertion(c, {}, {}, other), "signature"],
      [assertion(c, {}, { kid: "nope" }), "kid"],
      [assertion(c, {}, { alg: "RS384" }), "alg"],
      [assertion(c, { sub: "someone-else" }), "sub"],
      [assertion(c, {}, { jku: "https://evil.test/jwks" }), "jku"],
      [assertion({ ...c, id: "unregistered" }), "Unknown client"],
      ["not.a.jwt", "JWT"],
    ];
    for (const [jwt, why] of cases) {
      const r = await token(jwt);
      expect(r.status, why).toBe(401);
      expect(r.body.error).toBe("invalid_client");
      expect(r.body.error_description).toContain(why);
    }
  });

  it("grants only registered scopes", async () => {
    const c = await register("ES384", "system/Patient.rs system/Observation.rs");
    const r = await token(assertion(c), "system/Patient.rs system/Condition.rs");
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe("system/Patient.rs");
    expect((await token(assertion(c), "system/Condition.rs")).body.error).toBe("invalid_scope");
  });
});

describe("bulk data export", () => {
  let client: Client;
  let bearer: Record<string, string>;
  beforeAll(async () => {
    client = await register("ES384");
    const r = await token(assertion(client), "system/*.rs");
    bearer = { Authorization: `Bearer ${r.body.access_token}` };
  });
  const kickoff = (path: string, headers: Record<string, string> = bearer) =>
    fetch(`${sb.fhirBase}/${path}`, { headers: { Accept: "application/fhir+json", Prefer: "respond-async", ...headers } });

  async function untilDone(status: string) {
    const progress: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(status, { headers: bearer });
      if (res.status === 200) return { manifest: (await res.json()) as Manifest, progress };
      expect(res.status).toBe(202);
      expect(res.headers.get("retry-after")).toBe("0");
      progress.push(res.headers.get("x-progress") ?? "");
    }
    throw new Error("export never finished");
  }
  interface Manifest {
    requiresAccessToken: boolean;
    output: { type: string; url: string; count: number }[];
    error: { type: string; url: string }[];
  }
  const ndjson = async (url: string) =>
    (await (await fetch(url, { headers: bearer })).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Resource);

  it("refuses a kick-off without a token, without Prefer: respond-async, or beyond the token's scopes", async () => {
    expect((await kickoff("Group/ssc-registry/$export", {})).status).toBe(401);
    const noPrefer = await fetch(`${sb.fhirBase}/Group/ssc-registry/$export`, { headers: bearer });
    expect(noPrefer.status).toBe(400);
    const narrow = await register("ES384", "system/Patient.rs");
    const t = await token(assertion(narrow), "system/Patient.rs");
    const res = await kickoff("Group/ssc-registry/$export?_type=Patient,Observation", { Authorization: `Bearer ${t.body.access_token}` });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Observation");
    expect((await kickoff("Group/no-such-group/$export")).status).toBe(404);
  });

  it("exports the SSc registry Group: polls with X-Progress, then NDJSON files of its members only", async () => {
    const codes = OBSERVATION_CODE_GROUPS.flatMap((g) => g.codes);
    const q = new URLSearchParams({ _type: "Patient,Observation,Procedure", _typeFilter: `Observation?code=${codes.join(",")}` });
    const res = await kickoff(`Group/ssc-registry/$export?${q}`);
    expect(res.status).toBe(202);
    const { manifest, progress } = await untilDone(res.headers.get("content-location")!);
    expect(progress).toHaveLength(2);
    expect(progress.every((p) => /%/.test(p))).toBe(true);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(new Set(manifest.output.map((o) => o.type))).toEqual(new Set(["Patient", "Observation"]));
    // The large patient's labs span several files of at most 500.
    expect(manifest.output.filter((o) => o.type === "Observation").length).toBeGreaterThan(2);
    const patients = await ndjson(manifest.output.find((o) => o.type === "Patient")!.url);
    expect(patients.map((p) => p.id).sort()).toEqual(DEMO_PATIENT_IDS.filter((id) => id !== "no-ssc").sort());
    const wanted = new Set(codes.map((c) => c.split("|")[1]));
    for (const item of manifest.output.filter((o) => o.type === "Observation").slice(0, 2)) {
      const list = (await ndjson(item.url)) as unknown as { code: { coding?: { code: string }[] } }[];
      expect(list).toHaveLength(item.count);
      expect(list.every((o) => o.code.coding?.some((c) => wanted.has(c.code)))).toBe(true);
    }
    // Procedure is refused by this server: said in an error file, not silently empty.
    const errors = await ndjson(manifest.error[0]!.url);
    expect(JSON.stringify(errors)).toContain("Procedure");
    // Files need the token.
    expect((await fetch(manifest.output[0]!.url)).status).toBe(401);
  });

  it("Patient/$export includes every patient; DELETE cancels a job", async () => {
    const res = await kickoff("Patient/$export?_type=Patient");
    const status = res.headers.get("content-location")!;
    const { manifest } = await untilDone(status);
    const ids = (await ndjson(manifest.output[0]!.url)).map((p) => p.id);
    expect(ids).toContain("no-ssc");
    const again = await kickoff("Patient/$export?_type=Patient");
    const second = again.headers.get("content-location")!;
    expect((await fetch(second, { method: "DELETE", headers: bearer })).status).toBe(202);
    expect((await fetch(second, { headers: bearer })).status).toBe(404);
  });
});
