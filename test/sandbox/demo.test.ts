/**
 * The sandbox with its demo patients (sandbox/data): the launch page, and the large record paged
 * through the way the app loads it.
 */
import type { Bundle, Observation } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PATIENT_IDS, demoPatient } from "../../sandbox/data/index";
import { XSS } from "../../sandbox/data/xss-strings";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { READ_SCOPES, allPages, authorize, fhirJson, login, pkce } from "./helpers";

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, appOrigin: "http://localhost:5999" });
});
afterAll(() => sb?.close());

describe("launch page", () => {
  it("lists every demo patient with EHR and standalone launch links to the app", async () => {
    const res = await fetch(`${sb.url}/`);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    for (const id of DEMO_PATIENT_IDS) {
      const ehr = `/launcher?${new URLSearchParams({ launch_uri: "http://localhost:5999/launch.html", patient: id })}`;
      expect(html).toContain(`href="${ehr.replace(/&/g, "&#38;")}"`);
      expect(html).toContain(`aria-label="Launch (standalone) for ${id}"`);
    }
    expect(html).toMatch(/<select id="auth_error" name="auth_error">[\s\S]*request_expired_token/);
  });

  it("shows names and texts from the data as text, never as markup", async () => {
    const html = await (await fetch(`${sb.url}/`)).text();
    expect(html).not.toContain(XSS.patientName);
    expect(html).not.toContain("<svg");
    expect(html).toContain("&#60;img src=x onerror=alert(1)&#62;");
  });

  it("a launch link leads to the app with iss and launch", async () => {
    const res = await fetch(`${sb.url}/launcher?launch_uri=${encodeURIComponent("http://localhost:5999/launch.html")}&patient=modena-3`, {
      redirect: "manual",
    });
    const to = new URL(res.headers.get("location")!);
    expect(to.origin).toBe("http://localhost:5999");
    expect(to.searchParams.get("iss")).toBe(sb.fhirBase);
  });

  it("the standalone picker offers each demo patient as a button", async () => {
    const picker = await authorize(sb, { scope: `launch/patient ${READ_SCOPES}`, challenge: pkce().challenge });
    const html = await picker.text();
    for (const id of DEMO_PATIENT_IDS) expect(html).toContain(`name="patient" value="${id}"`);
  });
});

describe("a demo launch", () => {
  it("signs in the sandbox's own practitioner when the data has none, and serves the patient", async () => {
    const token = await login(sb, { patient: "modena-3" });
    expect(token.patient).toBe("modena-3");
    const claims = JSON.parse(Buffer.from(token.id_token!.split(".")[1], "base64").toString("utf8"));
    expect(claims.fhirUser).toBe("Practitioner/sandbox-practitioner");
    expect((await fhirJson(sb, token.access_token, "Practitioner/sandbox-practitioner")).resourceType).toBe("Practitioner");
    const conditions = await fhirJson<Bundle>(sb, token.access_token, "Condition?patient=modena-3");
    expect(conditions.total).toBe(demoPatient("modena-3")!.resources.filter((r) => r.resourceType === "Condition").length);
  });
});

describe("the large record", () => {
  it("pages the whole lab history by code groups without duplicates, newest first", async () => {
    const expected = demoPatient("large")!.resources.filter((r): r is Observation => r.resourceType === "Observation");
    expect(expected.length).toBeGreaterThan(5000);
    const token = (await login(sb, { patient: "large" })).access_token;

    const all = await allPages(sb, token, "Observation?patient=large&_count=1000");
    expect(all[0].entry).toHaveLength(100); // _count capped at the default maximum page size
    const ids = all.flatMap((b) => (b.entry ?? []).map((e) => e.resource!.id!));
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids).size).toBe(expected.length);

    // One analyte group, as the app splits its searches: several system|code tokens, -date.
    const codes = [...new Set(expected.map((o) => o.code.coding![0].code!))].slice(0, 3);
    const inGroup = expected.filter((o) => codes.includes(o.code.coding![0].code!));
    const query = `Observation?patient=large&category=laboratory&code=${codes.map((c) => `http://loinc.org|${c}`).join(",")}&_sort=-date&_count=100`;
    const t = performance.now();
    const first = await fhirJson<Bundle>(sb, token, query);
    expect(performance.now() - t).toBeLessThan(3000);
    expect(first.total).toBe(inGroup.filter((o) => o.category?.some((c) => c.coding?.some((x) => x.code === "laboratory"))).length);
    const pages = await allPages(sb, token, query);
    const dates = pages.flatMap((b) => (b.entry ?? []).map((e) => (e.resource as Observation).effectiveDateTime!));
    expect(dates).toHaveLength(first.total!);
    expect(dates).toEqual([...dates].sort().reverse());
  });
});
