/**
 * The sandbox's launch page and its embedded launch: any app launch URL (a sub-path deployment),
 * kept in the page's address and validated; the app in a frame of a simulated EHR page, with
 * need_patient_banner false.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import { CLIENT_ID, REDIRECT_URI, authorize, fixture, pkce, redirectTarget, tokenRequest, type TokenResponse } from "./helpers";

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [], extraResources: fixture(), appOrigin: "http://localhost:5173" });
});
afterAll(() => sb?.close());

const SUB_PATH_APP = "https://apps.example.org/departments/rheumatology/calcinosis/launch.html";
/** An attribute's text, as the browser reads it (escapeHtml writes numeric entities). */
const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
const launcherLinks = (html: string) => [...html.matchAll(/href="(\/launcher\?[^"]+)"/g)].map((m) => new URL(unescape(m[1]), sb.url));
const frameSrc = (html: string) => new URL(unescape(/<iframe class="smart-app" title="[^"]+" src="([^"]+)"/.exec(html)![1]));

describe("the launch page", () => {
  it("launches the default app until another launch URL is typed in", async () => {
    const html = await (await fetch(`${sb.url}/`)).text();
    expect(html).toContain('<input id="launch_uri" name="launch_uri" type="url" required value="http://localhost:5173/launch.html"');
    for (const link of launcherLinks(html)) expect(link.searchParams.get("launch_uri")).toBe("http://localhost:5173/launch.html");
  });

  it("takes any http(s) launch URL, a sub-path one included, and every launch on the page uses it", async () => {
    const res = await fetch(`${sb.url}/?${new URLSearchParams({ launch_uri: SUB_PATH_APP })}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`value="${SUB_PATH_APP}"`);
    const links = launcherLinks(html);
    expect(links.map((l) => l.searchParams.get("launch_type") ?? "ehr")).toEqual(expect.arrayContaining(["ehr", "standalone", "embedded"]));
    for (const link of links) expect(link.searchParams.get("launch_uri")).toBe(SUB_PATH_APP);
    expect(html).toContain(`<input type="hidden" name="launch_uri" value="${SUB_PATH_APP}">`);
    expect(html).toContain('<a href="/">Back to the default');
  });

  it.each(["javascript:alert(1)", "apps.example.org/launch.html", "ftp://apps.example.org/launch.html"])(
    "refuses %j, says why, and keeps the default",
    async (typed) => {
      const res = await fetch(`${sb.url}/?${new URLSearchParams({ launch_uri: typed })}`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toMatch(/role="alert"><p>launch_uri must be an absolute http\(s\) URL/);
      for (const link of launcherLinks(html)) expect(link.searchParams.get("launch_uri")).toBe("http://localhost:5173/launch.html");
      expect(html).not.toContain('href="javascript:');
    },
  );
});

describe("embedded launch", () => {
  const embedded = () =>
    fetch(`${sb.url}/launcher?${new URLSearchParams({ launch_uri: SUB_PATH_APP, patient: "p1", launch_type: "embedded" })}`);

  it("answers with a simulated EHR page that frames the app at its launch URL, with iss and launch", async () => {
    const res = await embedded();
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-src 'self' https://apps.example.org");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toMatch(/data-testid="ehr-patient">[^<]*<code>p1<\/code>/);
    const src = frameSrc(html);
    expect(`${src.origin}${src.pathname}`).toBe(SUB_PATH_APP);
    expect(src.searchParams.get("iss")).toBe(sb.fhirBase);
    expect(src.searchParams.get("launch")).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it("tells the app the EHR shows the patient: need_patient_banner is false", async () => {
    const html = await (await embedded()).text();
    const launchId = frameSrc(html).searchParams.get("launch")!;
    const { verifier, challenge } = pkce();
    const target = redirectTarget(await authorize(sb, { launch: launchId, challenge }));
    const token = (await (
      await tokenRequest(sb, {
        grant_type: "authorization_code",
        code: target.searchParams.get("code")!,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        code_verifier: verifier,
      })
    ).json()) as TokenResponse;
    expect(token).toMatchObject({ patient: "p1", need_patient_banner: false });
  });
});
