import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSmartConfig } from "../../../src/session/config";
import { contentSecurityPolicy, securityHeaders } from "../../../src/session/security-headers";

const config = parseSmartConfig({
  ehrs: [
    { issMatch: "https://fhir.epic.example.org/api/FHIR/R4", clientId: "a" },
    {
      issMatch: "/^https://cerner\\.example\\.com/r4/[a-f0-9-]+$/",
      clientId: "b",
      connectOrigins: ["https://cerner.example.com", "https://authorization.cerner.example.com"],
    },
  ],
});

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));

describe("Content-Security-Policy", () => {
  const csp = contentSecurityPolicy(config, { frameAncestors: ["https://ehr.example.org"] });

  it("allows only the app's own scripts, no inline script", () => {
    expect(directive(csp, "script-src")).toBe("script-src 'self'");
    expect(directive(csp, "default-src")).toBe("default-src 'none'");
  });

  it("lets the browser connect to the configured EHRs and nothing else", () => {
    expect(directive(csp, "connect-src")).toBe(
      "connect-src 'self' https://authorization.cerner.example.com https://cerner.example.com https://fhir.epic.example.org",
    );
  });

  it("lets only the named EHR origins frame the app, and nobody by default", () => {
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors https://ehr.example.org");
    expect(directive(contentSecurityPolicy(config, { frameAncestors: [] }), "frame-ancestors")).toBe("frame-ancestors 'none'");
  });

  it("comes with a no-referrer policy so launch parameters never leak", () => {
    expect(securityHeaders(config, { frameAncestors: [] })["Referrer-Policy"]).toBe("no-referrer");
  });

  it("does not guess origins from a pattern issuer: they must be listed", () => {
    const regexOnly = parseSmartConfig({ ehrs: [{ issMatch: "/^https://x\\.example/fhir$/", clientId: "c" }] });
    expect(regexOnly.ehrs[0].connectOrigins).toEqual([]);
  });
});

describe("README, 'Security headers'", () => {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("### Security headers");
  const section = readme.slice(start, readme.indexOf("\n## ", start));
  const generated = securityHeaders(config, { frameAncestors: ["https://ehr.example.org"] });
  // Table rows name a header, or "Header: value" where the value is fixed.
  const tableRows = [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]).filter((cell) => cell !== "header");
  const tableHeaders = new Map(
    tableRows.map((cell) => [cell.split(":")[0], cell.includes(": ") ? cell.slice(cell.indexOf(": ") + 2) : null]),
  );

  it("lists exactly the headers npm run security-headers emits, with their fixed values", () => {
    expect([...tableHeaders.keys()].sort()).toEqual(Object.keys(generated).sort());
    for (const [name, value] of tableHeaders) if (value !== null) expect(generated[name]).toBe(value);
  });

  it("shows no header in its nginx sample that the generator does not emit (Cache-Control aside)", () => {
    const shown = [...section.matchAll(/^\s*add_header\s+([A-Za-z-]+)\s/gm)].map((m) => m[1]).filter((name) => name !== "Cache-Control");
    for (const name of shown) expect(Object.keys(generated)).toContain(name);
  });

  it("emits HSTS", () => {
    expect(generated["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}/);
  });
});
