import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { clientMetadata } from "../../../src/session/registration";
import { buildScope } from "../../../src/session/scopes";

describe("registration kit", () => {
  it("describes a public PKCE client under the deployment's base path", () => {
    const metadata = clientMetadata("https://apps.example.org/calcinosis", "1.2.3");
    expect(metadata).toMatchObject({
      redirect_uris: ["https://apps.example.org/calcinosis/index.html"],
      launch_uri: "https://apps.example.org/calcinosis/launch.html",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      software_version: "1.2.3",
    });
  });

  it("registers exactly the scopes the app asks for at launch, EHR and standalone", () => {
    const registered = new Set(clientMetadata("https://a.example/", "1").scope.split(" "));
    for (const scope of [...buildScope("ehr", "v2").split(" "), ...buildScope("standalone", "v2").split(" ")]) {
      expect(registered).toContain(scope);
    }
    expect(new Set(clientMetadata("https://a.example/", "1", "v1").scope.split(" "))).toContain("patient/Observation.read");
  });

  it("registers the refresh_token grant the online_access scope asks for", () => {
    const metadata = clientMetadata("https://a.example/", "1");
    expect(metadata.scope.split(" ")).toContain("online_access");
    expect(metadata.grant_types).toContain("refresh_token");
  });

  it("refuses a plain-http base URL outside localhost", () => {
    expect(() => clientMetadata("http://apps.example.org/", "1")).toThrow(/https/);
  });

  it("prints the metadata as JSON from npm run registration", { timeout: 60_000 }, () => {
    const out = execFileSync("npx", ["tsx", "scripts/registration.ts", "--base-url", "https://apps.example.org/c/"], { encoding: "utf8" });
    expect(JSON.parse(out).redirect_uris).toEqual(["https://apps.example.org/c/index.html"]);
    const bad = spawnSync("npx", ["tsx", "scripts/registration.ts"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: npm run registration/);
  });
});

describe("README, 'Registering the app'", () => {
  it("names the grant types the metadata registers", async () => {
    const { readFileSync } = await import("node:fs");
    const row = /^\| grant types\s+\|(.*)\|$/m.exec(readFileSync("README.md", "utf8"))![1];
    expect([...row.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((g) => g !== "online_access")).toEqual(
      clientMetadata("https://a.example/", "1").grant_types,
    );
  });

  it("lists every scope the app asks for, in both spellings", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Registering the app"), readme.indexOf("## Deploying"));
    for (const mode of ["ehr", "standalone"] as const) {
      for (const version of ["v1", "v2"] as const) {
        for (const scope of buildScope(mode, version).split(" ")) expect(section).toContain(`\`${scope}`);
      }
    }
  });
});
