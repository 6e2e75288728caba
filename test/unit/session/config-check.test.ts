import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkSmartConfig, describeForTerminal, type ConfigDiagnostic } from "../../../src/session/config-check";
import { loadSmartConfig } from "../../../src/session/config";

const entry = (fields: Record<string, unknown> = {}) => ({
  name: "Epic",
  issMatch: ["https://fhir.example-hospital.org/api/FHIR/R4"],
  clientId: "abc",
  ...fields,
});
const file = (json: Record<string, unknown>) => JSON.stringify({ appUrl: "https://apps.example.org/calcinosis/", ...json }, null, 2);
const only = (text: string, severity: ConfigDiagnostic["severity"]) =>
  checkSmartConfig(text).diagnostics.filter((d) => d.severity === severity);
const rules = (text: string) => only(text, "warning").map((d) => d.rule);

describe("check-config: syntax errors with line and column", () => {
  it.each([
    ['{\n  "ehrs": []\n  "appUrl": "https://a.example/"\n}', 3, 3, /"," is missing/],
    ['{\n  "ehrs": [],\n}', 2, 13, /trailing ","/],
    ['{ "ehrs": [\n  { "issMatch": ["/^https://x\\.org$/"], "clientId": "a" }\n] }', 2, 30, /"\\\." is not a JSON escape.*\\\\\./],
    ['{\n  // the EHRs\n  "ehrs": []\n}', 2, 3, /comments are not allowed/],
    ["{ 'ehrs': [] }", 1, 3, /double quotes/],
    ["", 1, 1, /empty/],
    ['{ "ehrs": [] } x', 1, 16, /after the end/],
    ['{ "ehrs": [ ', 1, 13, /not closed/],
  ])("%j: line %i, column %i", (text, line, column, message) => {
    const [error] = checkSmartConfig(text).diagnostics;
    expect(error).toMatchObject({ severity: "error", line, column });
    expect(error.message).toMatch(message);
  });

  it("ignores a byte-order mark an editor left", () => {
    expect(checkSmartConfig(`\uFEFF${file({ ehrs: [entry()] })}`).diagnostics).toEqual([]);
  });
});

describe("check-config: invalid settings, where they are", () => {
  it("points at the setting that is wrong", () => {
    const text = file({ ehrs: [entry(), entry({ scopeVersion: "v3" })] });
    const [error] = checkSmartConfig(text).diagnostics;
    const line = text.split("\n").findIndex((l) => l.includes('"scopeVersion"')) + 1;
    expect(error).toMatchObject({ severity: "error", line, column: 7 });
    expect(error.message).toMatch(/ehrs\[1\]: "scopeVersion" must be "v1" or "v2"/);
  });

  it("points at the entry a required setting is missing from", () => {
    const text = file({ ehrs: [{ name: "x", issMatch: "https://a.example/fhir" }] });
    const [error] = checkSmartConfig(text).diagnostics;
    expect(error.message).toMatch(/"clientId" is required/);
    expect(text.split("\n")[error.line - 1].trim()).toBe("{");
  });

  it("refuses a connectOrigins value that would end the CSP directive", () => {
    const text = file({ ehrs: [entry({ connectOrigins: ["https://ok.example", "https://x.example; script-src *"] })] });
    expect(only(text, "error")[0].message).toMatch(/connectOrigins\[1\] must be an origin/);
  });
});

describe("check-config: warnings", () => {
  it("has nothing to say about a careful config", () => {
    const careful = file({
      ehrs: [
        entry(),
        entry({ issMatch: ["/^https://fhir-ehr\\.cerner\\.com/r4/[0-9a-f-]+$/"], connectOrigins: ["https://fhir-ehr.cerner.com"] }),
        entry({ issMatch: ["/^http://(localhost|127\\.0\\.0\\.1):\\d+/fhir$/"], connectOrigins: ["http://localhost:*"] }),
      ],
    });
    expect(checkSmartConfig(careful).diagnostics).toEqual([]);
  });

  it("warns on an unanchored pattern", () => {
    expect(rules(file({ ehrs: [entry({ issMatch: ["/https://good\\.example\\.org/fhir/"], connectOrigins: [] })] }))).toEqual([
      "unanchored-pattern",
    ]);
  });

  it("warns on an unescaped dot, and on .* that reaches other hosts", () => {
    const dot = file({ ehrs: [entry({ issMatch: ["/^https://good.example.org/fhir$/"], connectOrigins: [] })] });
    expect(only(dot, "warning")[0]).toMatchObject({ rule: "unescaped-pattern", message: expect.stringMatching(/any character/) });
    const star = file({ ehrs: [entry({ issMatch: ["/^https://.*\\.cerner\\.com/r4$/"], connectOrigins: [] })] });
    expect(only(star, "warning")[0].message).toMatch(/\.\*.*other hosts/);
    const inClass = file({ ehrs: [entry({ issMatch: ["/^https://fhir\\.example\\.org/[a-z.]+$/"], connectOrigins: [] })] });
    expect(rules(inClass)).toEqual([]);
  });

  it("warns on plain-http issuers off this machine, not on loopback ones", () => {
    expect(rules(file({ ehrs: [entry({ issMatch: "http://fhir.example-hospital.org/R4" })] }))).toEqual(["plain-http"]);
    expect(rules(file({ ehrs: [entry({ issMatch: ["/^https?://fhir\\.example\\.org/R4$/"], connectOrigins: [] })] }))).toEqual([
      "plain-http",
    ]);
    expect(rules(file({ ehrs: [entry({ issMatch: ["http://localhost:4010/fhir", "http://127.0.0.1:4010/fhir"] })] }))).toEqual([]);
  });

  it("warns when appUrl is missing, naming the double write it leads to", () => {
    const text = JSON.stringify({ ehrs: [entry()] });
    const [warning] = only(text, "warning");
    expect(warning).toMatchObject({ rule: "no-app-url", line: 1, column: 1 });
    expect(warning.message).toMatch(/two identifier systems/);
  });

  it("warns on a setting it does not know, suggesting the one meant", () => {
    const text = file({ appURL: "https://x.example/", ehrs: [entry({ quirks: { noSrot: true } })] });
    const warnings = only(text, "warning");
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/unknown setting "appURL".*did you mean "appUrl"/),
      expect.stringMatching(/unknown setting "noSrot"/),
    ]);
    expect(text.split("\n")[warnings[1].line - 1]).toContain('"noSrot"');
  });

  it("warns on a setting given twice, a placeholder client id, a pattern without connectOrigins, and an empty list", () => {
    expect(rules('{ "appUrl": "https://a.example/", "ehrs": [], "ehrs": [] }')).toEqual(["no-ehrs", "duplicate-key"]);
    expect(rules(file({ ehrs: [entry({ clientId: "<client id from Epic>" })] }))).toEqual(["placeholder"]);
    expect(rules(file({ ehrs: [entry({ issMatch: ["/^https://x\\.example/fhir$/"] })] }))).toEqual(["no-connect-origins"]);
  });

  it("prints one line per finding, as editors link them", () => {
    const [warning] = checkSmartConfig(JSON.stringify({ ehrs: [entry()] })).diagnostics;
    expect(describeForTerminal("dist/smart-config.json", warning)).toMatch(
      /^dist\/smart-config\.json:1:1: warning: no "appUrl".* \(no-app-url\)$/,
    );
  });
});

describe("the app's settings screen", () => {
  const serve = (text: string) => (async () => new Response(text)) as unknown as typeof fetch;

  it("names the line and column of a syntax error", async () => {
    const broken = '{\n  "ehrs": [\n    { "issMatch": "https://a.example/fhir" "clientId": "a" }\n  ]\n}';
    await expect(loadSmartConfig("https://a.example/launch.html", serve(broken))).rejects.toThrow(
      /^smart-config\.json, line 3, column 44: a "," is missing before this$/,
    );
  });

  it("names the line and column of an invalid setting", async () => {
    const invalid = '{\n  "ehrs": [\n    { "issMatch": "https://a.example/fhir", "clientId": "" }\n  ]\n}';
    await expect(loadSmartConfig("https://a.example/launch.html", serve(invalid))).rejects.toThrow(
      /^smart-config\.json, line 3, column 45: ehrs\[0\]: "clientId" is required$/,
    );
  });
});

describe("README, 'Deploying'", () => {
  it("shows a config the app accepts, whose only warnings are the placeholders left to fill in", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Deploying"), readme.indexOf("### Security headers"));
    const example = /```json\n([\s\S]*?)```/.exec(section)![1];
    const { config, diagnostics } = checkSmartConfig(example);
    expect(config?.ehrs.map((ehr) => ehr.name)).toEqual(["Epic production", "Oracle Health"]);
    expect(diagnostics.map((d) => d.rule)).toEqual(["placeholder", "placeholder"]);
  });
});
