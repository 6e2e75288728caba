import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_CONFIG } from "../../../scripts/dev-config";
import { checkSmartConfig } from "../../../src/session/config-check";
import { ConfigError, findEhr, loadSmartConfig, parseSmartConfig } from "../../../src/session/config";

const templateText = readFileSync("public/smart-config.json", "utf8");
const template = parseSmartConfig(JSON.parse(templateText));
const developmentText = readFileSync(DEVELOPMENT_CONFIG, "utf8");
const development = parseSmartConfig(JSON.parse(developmentText));

describe("public/smart-config.json, the production template dist/ ships", () => {
  it("accepts no issuer until hospital IT lists its EHRs: no local sandbox, no public sandbox", () => {
    expect(template.allowOpenServer).toBe(false);
    expect(template.ehrs).toEqual([]);
    for (const iss of ["http://localhost:4010/fhir", "http://localhost:39123/fhir", "https://launch.smarthealthit.org/v/r4/fhir"]) {
      expect(findEhr(template, iss)).toBeNull();
    }
  });

  it("says, through check-config, what is left to fill in", () => {
    expect(checkSmartConfig(templateText).diagnostics.map((d) => d.rule)).toEqual(["no-app-url", "no-ehrs"]);
  });
});

describe("scripts/smart-config.development.json, for npm start and the tests", () => {
  it("keeps open-server launches disabled", () => {
    expect(development.allowOpenServer).toBe(false);
  });

  it("serves the local sandbox on any loopback port and the public SMART sandbox", () => {
    expect(findEhr(development, "http://localhost:4010/fhir")?.name).toMatch(/Local sandbox/);
    expect(findEhr(development, "http://127.0.0.1:39123/fhir")?.name).toMatch(/Local sandbox/);
    expect(findEhr(development, "https://launch.smarthealthit.org/v/r4/fhir")?.name).toMatch(/public sandbox/);
    expect(findEhr(development, "https://launch.smarthealthit.org/v/r4/sim/eyJoIjoiMSJ9/fhir")?.name).toMatch(/public sandbox/);
  });

  it("refuses issuers that only resemble a configured one", () => {
    expect(findEhr(development, "http://localhost.evil.example:4010/fhir")).toBeNull();
    expect(findEhr(development, "https://launch.smarthealthit.org.evil.example/v/r4/fhir")).toBeNull();
    expect(findEhr(development, "http://localhost:4010/fhir/../other")).toBeNull();
  });

  it("passes check-config with no warning but the missing appUrl (development follows the served address)", () => {
    expect(checkSmartConfig(developmentText).diagnostics.map((d) => d.rule)).toEqual(["no-app-url"]);
  });
});

describe("parseSmartConfig", () => {
  const entry = { issMatch: "https://ehr.example.org/fhir", clientId: "abc" };

  it("matches an exact issuer with or without a trailing slash", () => {
    const config = parseSmartConfig({ ehrs: [entry] });
    expect(findEhr(config, "https://ehr.example.org/fhir/")?.clientId).toBe("abc");
    expect(findEhr(config, "https://ehr.example.org/fhir2")).toBeNull();
  });

  it("keeps quirks and names, and defaults allowOpenServer to false", () => {
    const config = parseSmartConfig({ ehrs: [{ ...entry, name: "Epic", quirks: { observationCategory: "laboratory" } }] });
    expect(config.allowOpenServer).toBe(false);
    expect(config.ehrs[0]).toMatchObject({ name: "Epic", quirks: { observationCategory: "laboratory" } });
  });

  it.each([
    [[], /JSON object/],
    [{}, /"ehrs" must be a list/],
    [{ ehrs: [{ issMatch: "x" }] }, /ehrs\[0\]: "clientId" is required/],
    [{ ehrs: [{ clientId: "a" }] }, /ehrs\[0\]: "issMatch"/],
    [{ ehrs: [{ clientId: "a", issMatch: "/([/" }] }, /not a valid regular expression/],
    [{ ehrs: [{ clientId: "a", issMatch: "x", scopeVersion: "v3" }] }, /"scopeVersion"/],
  ])("names what is wrong in %j", (json, message) => {
    expect(() => parseSmartConfig(json)).toThrow(ConfigError);
    expect(() => parseSmartConfig(json)).toThrow(message);
  });

  it("reads the file relative to the page, so any base path works", async () => {
    const requested: string[] = [];
    const fakeFetch = (async (url: string) => {
      requested.push(url);
      return new Response(JSON.stringify({ ehrs: [entry] }));
    }) as unknown as typeof fetch;
    await loadSmartConfig("https://apps.example.org/calcinosis/launch.html?iss=x", fakeFetch);
    expect(requested).toEqual(["https://apps.example.org/calcinosis/smart-config.json"]);
  });

  it("explains an unreadable file", async () => {
    const notFound = (async () => new Response("nope", { status: 404 })) as unknown as typeof fetch;
    await expect(loadSmartConfig("https://a.example/launch.html", notFound)).rejects.toThrow(/HTTP 404/);
    const broken = (async () => new Response("{oops")) as unknown as typeof fetch;
    await expect(loadSmartConfig("https://a.example/launch.html", broken)).rejects.toThrow(
      /line 1, column 2: unexpected "oops": expected a property name/,
    );
  });
});

describe("quirks and the canonical app URL", () => {
  const entry = { issMatch: "https://ehr.example.org/fhir", clientId: "abc" };

  it("refuses a known quirk with a wrong value, naming it", () => {
    expect(() => parseSmartConfig({ ehrs: [{ ...entry, quirks: { maxPageSize: "big" } }] })).toThrow(/ehrs\[0\]: quirks.maxPageSize/);
  });

  it("ignores a quirk this build does not know, so newer configs still load", () => {
    const config = parseSmartConfig({ ehrs: [{ ...entry, quirks: { futureQuirk: true, noSort: true } }] });
    expect(config.ehrs[0].quirks).toEqual({ noSort: true });
  });

  it("takes an absolute appUrl and refuses anything else", () => {
    expect(parseSmartConfig({ ehrs: [entry], appUrl: "https://apps.example.org/calcinosis/" }).appUrl).toBe(
      "https://apps.example.org/calcinosis/",
    );
    expect(() => parseSmartConfig({ ehrs: [entry], appUrl: "/calcinosis" })).toThrow(/appUrl/);
  });
});

describe("issMatch patterns match the whole issuer", () => {
  it("refuses an attacker URL that only contains an unanchored pattern", () => {
    const config = parseSmartConfig({ ehrs: [{ issMatch: "/https://good\\.example\\.org/fhir/", clientId: "a" }] });
    expect(findEhr(config, "https://good.example.org/fhir")?.clientId).toBe("a");
    expect(findEhr(config, "https://evil.test/?https://good.example.org/fhir")).toBeNull();
    expect(findEhr(config, "https://good.example.org/fhir/../../evil")).toBeNull();
  });

  it("keeps alternatives inside the anchors", () => {
    const config = parseSmartConfig({ ehrs: [{ issMatch: "/https://a\\.example/fhir|https://b\\.example/fhir/", clientId: "a" }] });
    expect(findEhr(config, "https://b.example/fhir")?.clientId).toBe("a");
    expect(findEhr(config, "https://a.example/fhir.evil.test")).toBeNull();
    expect(findEhr(config, "https://evil.test/https://b.example/fhir")).toBeNull();
  });
});
