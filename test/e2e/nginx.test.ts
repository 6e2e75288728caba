/**
 * The README's nginx configuration, as the e2e stack serves the build with it: every page, asset and
 * smart-config.json carries every security header (a nested location with an add_header of its own
 * would drop them), and smart-config.json is revalidated on each use.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSmartConfig } from "../../src/session/config";
import { securityHeaders } from "../../src/session/security-headers";
import { stack } from "./harness";
import { findNginx, readmeNginxSample } from "./support/nginx";

const config = () => parseSmartConfig(JSON.parse(readFileSync(join(stack().siteDir, "smart-config.json"), "utf8")));
const expected = () => securityHeaders(config(), { frameAncestors: ["'self'", stack().sandboxUrl] });

describe("the build behind nginx, configured as the README shows", () => {
  const asset = () => `assets/${readdirSync(join(stack().siteDir, "assets")).find((name) => name.endsWith(".js"))}`;

  it.each(["index.html", "launch.html", "asset", "smart-config.json"])("%s carries every security header", async (name) => {
    const path = name === "asset" ? asset() : name;
    const response = await fetch(new URL(path, stack().appUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get("server")).toMatch(/^nginx/);
    expect(await response.text()).toBe(readFileSync(join(stack().siteDir, path), "utf8"));
    for (const [header, value] of Object.entries(expected())) expect(response.headers.get(header), header).toBe(value);
  });

  it("has smart-config.json revalidated on each use, and only it", async () => {
    expect((await fetch(new URL("smart-config.json", stack().appUrl))).headers.get("cache-control")).toBe("no-cache");
    expect((await fetch(new URL("index.html", stack().appUrl))).headers.get("cache-control")).toBeNull();
  });

  it("serves the app's JavaScript as JavaScript, which nosniff and module scripts require", async () => {
    expect((await fetch(new URL(asset(), stack().appUrl))).headers.get("content-type")).toMatch(/^(application|text)\/javascript/);
  });

  it("is the README's own sample: the command writes the file the location block includes", () => {
    const sample = readmeNginxSample();
    expect(sample.command).toMatch(/npm run security-headers -- --config \S+smart-config\.json/);
    expect(sample.command.trim()).toMatch(new RegExp(`> /etc/nginx/${sample.include.replace(/\./g, "\\.")}$`));
    expect(stack().appUrl.endsWith(sample.basePath)).toBe(true);
  });

  it("fails with a clear message, not a skip, where nginx is not installed", () => {
    expect(() => findNginx([undefined, "/nonexistent/nginx"])).toThrow(/^nginx is not installed: .*apt-get install -y nginx/);
  });
});
