/**
 * Fault injection: chosen per launch with /launcher parameters, or for every token by options /
 * SANDBOX_* environment variables.
 */
import type { Bundle } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultsFromEnv, parseFaults } from "../../sandbox/faults";
import { optionsFromEnv } from "../../sandbox/options";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { CALCIUM, PHOSPHATE, fhir, fixture, login } from "./helpers";

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [], extraResources: fixture() });
});
afterAll(() => sb?.close());

const tokenWith = async (launchParams: Record<string, string>) => (await login(sb, { launchParams })).access_token;

async function statuses(token: string, n: number): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < n; i++) out.push(await fhir(sb, token, "Patient/p1"));
  return out;
}

describe("faults chosen at launch", () => {
  it("latency_ms delays every FHIR answer of that launch, and only of that launch", async () => {
    const slow = await tokenWith({ latency_ms: "300" });
    const fast = await tokenWith({});
    let t = performance.now();
    expect((await fhir(sb, slow, "Patient/p1")).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(295);
    t = performance.now();
    await fhir(sb, fast, "Patient/p1");
    expect(performance.now() - t).toBeLessThan(250);
  });

  it("fail_rate answers that share of requests with 500, reproducibly with fault_seed", async () => {
    const run = async () => (await statuses(await tokenWith({ fail_rate: "0.5", fault_seed: "42" }), 40)).map((r) => r.status);
    const first = await run();
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThanOrEqual(10);
    expect(failures).toBeLessThanOrEqual(30);
    expect(first.filter((s) => s !== 500).every((s) => s === 200)).toBe(true);
    expect(await run()).toEqual(first);
    const always = await statuses(await tokenWith({ fail_rate: "1" }), 3);
    expect(always.map((r) => r.status)).toEqual([500, 500, 500]);
    expect((await always[0].json()).resourceType).toBe("OperationOutcome");
  });

  it("rate_limit answers 429 with Retry-After: 1", async () => {
    const [res] = await statuses(await tokenWith({ rate_limit: "1" }), 1);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect((await res.json()).issue[0].code).toBe("throttled");
  });

  it("malformed answers searches of the listed types with truncated JSON", async () => {
    const token = await tokenWith({ malformed: "Observation" });
    const res = await fhir(sb, token, "Observation?patient=p1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/fhir\+json/);
    const text = await res.text();
    expect(text.startsWith('{"resourceType":"Bundle"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    expect((await fhir(sb, token, "Condition?patient=p1")).status).toBe(200);
  });

  it("endless_next gives the listed searches a next link that never ends", async () => {
    const token = await tokenWith({ endless_next: "Observation" });
    let url: string | undefined = `${sb.fhirBase}/Observation?patient=p1&_count=10`;
    for (let page = 0; page < 8; page++) {
      const bundle = (await (await fetch(url!, { headers: { authorization: `Bearer ${token}` } })).json()) as Bundle;
      expect(bundle.entry?.length).toBeGreaterThan(0);
      url = bundle.link?.find((l) => l.relation === "next")?.url;
      expect(url).toBeTruthy();
    }
    expect(new URL(url!).searchParams.get("_offset")).toBe("80");
    const conditions = (await (await fhir(sb, token, "Condition?patient=p1&_count=10")).json()) as Bundle;
    expect(conditions.link?.some((l) => l.relation === "next")).toBe(false);
  });

  it("request_expired_token and request_invalid_token make FHIR answer 401", async () => {
    const expired = await fhir(sb, await tokenWith({ auth_error: "request_expired_token" }), "Patient/p1");
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    expect((await expired.json()).issue[0].code).toBe("expired");
    expect((await fhir(sb, await tokenWith({ auth_error: "request_invalid_token" }), "Patient/p1")).status).toBe(401);
  });

  it("expire_after_s makes the access token expire mid-session", async () => {
    const token = await login(sb, { launchParams: { expire_after_s: "1" } });
    expect(token.expires_in).toBe(1);
    expect((await fhir(sb, token.access_token, "Patient/p1")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await fhir(sb, token.access_token, "Patient/p1");
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toMatch(/expired/);
  });
});

describe("faults for every token (options and environment)", () => {
  it("latencyMs applies to metadata and to every token", async () => {
    const slow = await startSandbox({ port: 0, patients: [], extraResources: fixture(), latencyMs: 120 });
    try {
      let t = performance.now();
      await fetch(`${slow.fhirBase}/metadata`);
      expect(performance.now() - t).toBeGreaterThanOrEqual(115);
      const token = (await login(slow)).access_token;
      t = performance.now();
      expect((await fhir(slow, token, "Patient/p1")).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(115);
    } finally {
      await slow.close();
    }
  });

  it("reads SANDBOX_* variables, and rejects bad values by name", () => {
    expect(
      faultsFromEnv({ SANDBOX_LATENCY_MS: "100", SANDBOX_FAULT_FAIL_RATE: "0.2", SANDBOX_FAULT_MALFORMED: "Observation, Condition" }),
    ).toEqual({
      latencyMs: 100,
      failRate: 0.2,
      malformed: ["Observation", "Condition"],
    });
    expect(
      optionsFromEnv({ SANDBOX_PORT: "4011", SANDBOX_MAX_PAGE: "100", SANDBOX_CAPABILITIES: "basic", APP_PORT: "5174" }),
    ).toMatchObject({
      port: 4011,
      maxPageSize: 100,
      capabilities: "basic",
      appOrigin: "http://localhost:5174",
    });
    expect(() => faultsFromEnv({ SANDBOX_FAULT_FAIL_RATE: "2" })).toThrow(/SANDBOX_FAULT_FAIL_RATE/);
    expect(() => optionsFromEnv({ SANDBOX_CAPABILITIES: "some" })).toThrow(/SANDBOX_CAPABILITIES/);
    expect(() => parseFaults((n) => (n === "auth_error" ? "nope" : undefined))).toThrow(/auth_error/);
  });
});

describe("type faults (type_error) and the launcher proxy's rewrite (proxy_rewrite)", () => {
  it.each([
    ["403", 403],
    ["404", 404],
    ["429", 429],
    ["500", 500],
  ] as const)("Condition:%s answers Condition searches with %i and leaves the rest alone", async (kind, status) => {
    const token = await tokenWith({ type_error: `Condition:${kind}` });
    const res = await fhir(sb, token, "Condition?patient=p1");
    expect(res.status).toBe(status);
    expect((await res.json()).resourceType).toBe("OperationOutcome");
    if (kind === "429") expect(res.headers.get("retry-after")).toBe("1");
    expect((await fhir(sb, token, "Observation?patient=p1")).status).toBe(200);
  });

  it("a code in brackets narrows it to the Observation searches that name the code", async () => {
    const token = await tokenWith({ type_error: `Observation[${CALCIUM}]:500` });
    expect((await fhir(sb, token, `Observation?patient=p1&code=${encodeURIComponent(`http://loinc.org|${CALCIUM}`)}`)).status).toBe(500);
    expect((await fhir(sb, token, `Observation?patient=p1&code=${encodeURIComponent(`http://loinc.org|${PHOSPHATE}`)}`)).status).toBe(200);
  });

  it("truncated loops the next link back to the page; malformed cuts the body; hang never answers", async () => {
    const looped = (await (
      await fhir(sb, await tokenWith({ type_error: "Observation:truncated" }), "Observation?patient=p1&_count=5")
    ).json()) as Bundle;
    const self = looped.link!.find((l) => l.relation === "self")!.url;
    expect(looped.link!.find((l) => l.relation === "next")!.url).toBe(self);
    const cut = await fhir(sb, await tokenWith({ type_error: "Observation:malformed" }), "Observation?patient=p1");
    expect(cut.status).toBe(200);
    const text = await cut.text();
    expect(() => JSON.parse(text)).toThrow();
    const hang = await tokenWith({ type_error: "Condition:hang" });
    const controller = new AbortController();
    const pending = fhir(sb, hang, "Condition?patient=p1", { signal: controller.signal });
    const outcome = await Promise.race([pending.then(() => "answered"), new Promise((r) => setTimeout(() => r("still waiting"), 300))]);
    expect(outcome).toBe("still waiting");
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it("refuses a type_error it cannot read, naming it", () => {
    expect(() => parseFaults((n) => (n === "type_error" ? "Condition:418" : undefined))).toThrow(/type_error: "Condition:418"/);
  });

  it("proxy_rewrite turns // into / as the SMART launcher's proxy does: an unencoded system URL no longer matches", async () => {
    const token = await tokenWith({ proxy_rewrite: "1" });
    const raw = (await (await fhir(sb, token, `Observation?patient=p1&code=http://loinc.org|${CALCIUM}`)).json()) as Bundle;
    expect(raw.total ?? raw.entry?.length ?? 0).toBe(0);
    const encoded = (await (
      await fhir(sb, token, `Observation?patient=p1&code=${encodeURIComponent(`http://loinc.org|${CALCIUM}`)}`)
    ).json()) as Bundle;
    expect(encoded.entry?.length).toBe(15);
  });
});
