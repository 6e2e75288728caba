/**
 * The sandbox as a SMART authorisation server: discovery, EHR and standalone launches, PKCE,
 * single-use codes, refresh, and the public launcher's simulated authorisation errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../sandbox/server";
import {
  CLIENT_ID,
  EHR_SCOPE,
  LAUNCH_URI,
  READ_SCOPES,
  REDIRECT_URI,
  authorize,
  fhir,
  fhirJson,
  fixture,
  launch,
  login,
  pkce,
  redirectTarget,
  tokenRequest,
  type TokenResponse,
} from "./helpers";

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, patients: [], extraResources: fixture() });
});
afterAll(() => sb?.close());

/** authorize → code, for a launch of p1 (or the given launch). */
async function code(options: { launchId?: string; scope?: string } = {}) {
  const launchId = options.launchId ?? (await launch(sb, { patient: "p1" }));
  const { verifier, challenge } = pkce();
  const target = redirectTarget(await authorize(sb, { launch: launchId, challenge, scope: options.scope }));
  return { code: target.searchParams.get("code")!, verifier, target };
}

const exchange = (c: { code: string; verifier: string }, overrides: Record<string, string> = {}) =>
  tokenRequest(sb, {
    grant_type: "authorization_code",
    code: c.code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT_ID,
    code_verifier: c.verifier,
    ...overrides,
  });

describe("discovery", () => {
  it("publishes a SMART configuration with PKCE S256 and the v2 capabilities, readable cross-origin", async () => {
    const res = await fetch(`${sb.fhirBase}/.well-known/smart-configuration`, { headers: { origin: "http://localhost:5173" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const config = await res.json();
    expect(config.code_challenge_methods_supported).toEqual(["S256"]);
    expect(config.capabilities).toEqual(
      expect.arrayContaining([
        "permission-v2",
        "permission-v1",
        "launch-ehr",
        "launch-standalone",
        "context-ehr-patient",
        "context-standalone-patient",
        "client-public",
        "sso-openid-connect",
      ]),
    );
    expect(config.authorization_endpoint).toBe(`${sb.url}/auth/authorize`);
    expect(config.token_endpoint).toBe(`${sb.url}/auth/token`);
    expect(config.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
    expect(sb.fhirBase).toMatch(/^http:\/\/localhost:\d+\/fhir$/);
  });

  it("serves a CapabilityStatement with reads, searches, creates, conditional create, transaction and the SMART endpoints", async () => {
    const res = await fetch(`${sb.fhirBase}/metadata`);
    expect(res.headers.get("content-type")).toMatch(/^application\/fhir\+json/);
    const cs = await res.json();
    const rest = cs.rest[0];
    const byType = Object.fromEntries(rest.resource.map((r: any) => [r.type, r]));
    expect(byType.Observation.interaction.map((i: any) => i.code)).toEqual(["read", "search-type", "update"]);
    expect(byType.DetectedIssue.interaction.map((i: any) => i.code)).toEqual(["read", "search-type", "create"]);
    // A write-back type that the demo data also has (so npm run load-demo can upload it).
    expect(byType.DocumentReference.interaction.map((i: any) => i.code)).toEqual(["read", "search-type", "create", "update"]);
    expect(byType.DocumentReference.conditionalCreate).toBe(true);
    expect(byType.Observation.searchParam.map((p: any) => p.name)).toEqual(expect.arrayContaining(["code", "category", "patient", "date"]));
    expect(rest.interaction.map((i: any) => i.code)).toContain("transaction");
    const oauth = rest.security.extension.find((e: any) => e.url.endsWith("oauth-uris"));
    expect(oauth.extension).toEqual(expect.arrayContaining([{ url: "token", valueUri: `${sb.url}/auth/token` }]));
  });

  it("answers CORS preflights for FHIR requests with the headers the app sends", async () => {
    const res = await fetch(`${sb.fhirBase}/DocumentReference`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,if-none-exist",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const allowed = res.headers.get("access-control-allow-headers")!.toLowerCase();
    for (const h of ["authorization", "content-type", "if-none-exist", "prefer"]) expect(allowed).toContain(h);
  });
});

describe("EHR launch with PKCE", () => {
  it("redirects like the public launcher, then issues a token for the launch patient that reads FHIR", async () => {
    const res = await fetch(`${sb.url}/launcher?launch_uri=${encodeURIComponent(LAUNCH_URI)}&patient=p1`, { redirect: "manual" });
    const to = new URL(res.headers.get("location")!);
    expect(`${to.origin}${to.pathname}`).toBe(LAUNCH_URI);
    expect(to.searchParams.get("iss")).toBe(sb.fhirBase);
    expect(to.searchParams.get("launch")).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const c = await code({ launchId: to.searchParams.get("launch")! });
    expect(c.target.searchParams.get("state")).toBe("state-123");
    const tokenRes = await exchange(c);
    expect(tokenRes.headers.get("cache-control")).toBe("no-store");
    const token = (await tokenRes.json()) as TokenResponse;
    expect(token).toMatchObject({ token_type: "Bearer", patient: "p1", expires_in: 3600, need_patient_banner: true });
    expect(token.scope.split(" ")).toEqual(EHR_SCOPE.split(" "));
    expect(token.refresh_token).toBeTruthy();
    expect(token.smart_style_url).toBe(`${sb.url}/smart-style.json`);

    const bundle = await fhirJson(sb, token.access_token, "Observation?patient=p1");
    expect(bundle.total).toBe(25);
  });

  it("returns an id_token naming the user, decodable with the browser's atob", async () => {
    const token = await login(sb);
    const [, payload] = token.id_token!.split(".");
    // fhirclient's getIdToken() uses window.atob, which rejects the base64url characters - and _.
    expect(payload).not.toMatch(/[-_]/);
    const claims = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    expect(claims).toMatchObject({ fhirUser: "Practitioner/dr-who", aud: CLIENT_ID, iss: sb.fhirBase });
    // Readable by its user although no scope covers Practitioner.
    const user = await fhirJson(sb, token.access_token, "Practitioner/dr-who");
    expect(user.resourceType).toBe("Practitioner");
    const jwks = await (await fetch(`${sb.url}/.well-known/jwks.json`)).json();
    expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
  });

  it("names the launch's provider as the user and the patient's current encounter", async () => {
    const token = await login(sb, { launchParams: { provider: "dr-house" } });
    const claims = JSON.parse(Buffer.from(token.id_token!.split(".")[1], "base64").toString("utf8"));
    expect(claims.fhirUser).toBe("Practitioner/dr-house");
    expect((await fhir(sb, token.access_token, "Practitioner/dr-who")).status).toBe(403);
    expect((token as TokenResponse & { encounter?: string }).encounter).toBe("p1-enc-new");
  });

  it("uses each code once: a replay is refused and revokes the token issued for it", async () => {
    const c = await code();
    const first = await exchange(c);
    const { access_token } = await first.json();
    expect((await fhir(sb, access_token, "Patient/p1")).status).toBe(200);
    const again = await exchange(c);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe("invalid_grant");
    expect((await fhir(sb, access_token, "Patient/p1")).status).toBe(401);
  });

  it("refuses a wrong code_verifier, and the code is spent", async () => {
    const c = await code();
    const wrong = await exchange(c, { code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/code_verifier/) });
    expect((await exchange(c)).status).toBe(400);
  });

  it("refuses a token request without code_verifier, or with another redirect_uri or client_id", async () => {
    const noVerifier = await code();
    expect((await (await exchange(noVerifier, { code_verifier: "" })).json()).error).toBe("invalid_request");
    const otherRedirect = await code();
    expect((await (await exchange(otherRedirect, { redirect_uri: "http://localhost:5173/other.html" })).json()).error).toBe(
      "invalid_grant",
    );
    const otherClient = await code();
    expect((await (await exchange(otherClient, { client_id: "someone-else" })).json()).error).toBe("invalid_grant");
  });

  it("answers malformed token requests with OAuth JSON errors", async () => {
    const json = await fetch(`${sb.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(400);
    expect((await json.json()).error).toBe("invalid_request");
    expect((await (await tokenRequest(sb, { grant_type: "password" })).json()).error).toBe("unsupported_grant_type");
  });

  it("requires PKCE S256 at authorize: plain or missing challenges are sent back as invalid_request", async () => {
    const launchId = await launch(sb, { patient: "p1" });
    const plain = redirectTarget(await authorize(sb, { launch: launchId, challenge: "x".repeat(43), method: "plain" }));
    expect(plain.searchParams.get("error")).toBe("invalid_request");
    expect(plain.searchParams.get("error_description")).toMatch(/S256/);
    expect(plain.searchParams.get("state")).toBe("state-123");
    expect(plain.searchParams.get("code")).toBeNull();
    const missing = redirectTarget(await authorize(sb, { launch: launchId }));
    expect(missing.searchParams.get("error")).toBe("invalid_request");
  });

  it("refuses an aud that is not this FHIR server, and an unknown launch", async () => {
    const { challenge } = pkce();
    const launchId = await launch(sb, { patient: "p1" });
    const wrongAud = redirectTarget(await authorize(sb, { launch: launchId, challenge, aud: "https://evil.example/fhir" }));
    expect(wrongAud.searchParams.get("error")).toBe("invalid_request");
    expect(wrongAud.searchParams.get("error_description")).toMatch(/aud/);
    const unknown = redirectTarget(await authorize(sb, { launch: "no-such-launch", challenge }));
    expect(unknown.searchParams.get("error")).toBe("invalid_request");
  });

  it("refuses a bad launcher request with an error page", async () => {
    expect((await fetch(`${sb.url}/launcher?patient=p1`)).status).toBe(400);
    expect((await fetch(`${sb.url}/launcher?launch_uri=${encodeURIComponent(LAUNCH_URI)}&patient=nobody`)).status).toBe(400);
    const badError = await fetch(`${sb.url}/launcher?launch_uri=${encodeURIComponent(LAUNCH_URI)}&auth_error=made_up`);
    expect(badError.status).toBe(400);
    expect(await badError.text()).toContain("auth_error must be one of");
  });
});

describe("refresh tokens", () => {
  it("issues a new working access token for a refresh token (online_access)", async () => {
    const token = await login(sb);
    const res = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: token.refresh_token! });
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as TokenResponse;
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect(refreshed).toMatchObject({ patient: "p1", scope: token.scope, refresh_token: token.refresh_token });
    expect((await fhir(sb, refreshed.access_token, "Patient/p1")).status).toBe(200);
  });

  it("issues no refresh token without online_access or offline_access", async () => {
    const token = await login(sb, { scope: `launch ${READ_SCOPES}` });
    expect(token.refresh_token).toBeUndefined();
  });

  it("refuses an unknown refresh token", async () => {
    const res = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: "nope" });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_grant");
  });
});

describe("simulated authorisation errors (public launcher names)", () => {
  async function authorizeWith(authError: string) {
    const launchId = await launch(sb, { patient: "p1", auth_error: authError });
    return authorize(sb, { launch: launchId, challenge: pkce().challenge });
  }

  it("auth_invalid_client_id sends the app error=invalid_client", async () => {
    const target = redirectTarget(await authorizeWith("auth_invalid_client_id"));
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get("error")).toBe("invalid_client");
    expect(target.searchParams.get("state")).toBe("state-123");
  });

  it("auth_invalid_scope sends the app error=invalid_scope", async () => {
    expect(redirectTarget(await authorizeWith("auth_invalid_scope")).searchParams.get("error")).toBe("invalid_scope");
  });

  it("auth_invalid_redirect_uri stops at the sandbox with a page naming the redirect_uri", async () => {
    const res = await authorizeWith("auth_invalid_redirect_uri");
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/redirect_uri/);
  });

  it("a redirect_uri that is not an absolute URL is never redirected to", async () => {
    const res = await authorize(sb, {
      launch: await launch(sb, { patient: "p1" }),
      challenge: pkce().challenge,
      redirectUri: "javascript:alert(1)",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("token_invalid_token refuses the code exchange with 400 invalid_grant", async () => {
    const c = await code({ launchId: await launch(sb, { patient: "p1", auth_error: "token_invalid_token" }) });
    const res = await exchange(c);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/token_invalid_token/) });
  });

  it("token_expired_refresh_token lets the session start, shortens it, and refuses the refresh", async () => {
    const token = await login(sb, { launchParams: { auth_error: "token_expired_refresh_token" } });
    expect(token.expires_in).toBe(20);
    expect((await fhir(sb, token.access_token, "Patient/p1")).status).toBe(200);
    const res = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: token.refresh_token! });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_grant");
  });
});

describe("standalone launch", () => {
  it("asks the user to pick a patient, then puts that patient in context", async () => {
    const launchRes = await fetch(`${sb.url}/launcher?launch_uri=${encodeURIComponent(LAUNCH_URI)}&launch_type=standalone&patient=p2`, {
      redirect: "manual",
    });
    const to = new URL(launchRes.headers.get("location")!);
    expect(to.searchParams.get("iss")).toBe(sb.fhirBase);
    expect(to.searchParams.has("launch")).toBe(false);

    const { verifier, challenge } = pkce();
    const scope = `launch/patient openid fhirUser ${READ_SCOPES}`;
    const picker = await authorize(sb, { scope, challenge });
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toMatch(/<button type="submit" name="patient" value="p1">/);
    expect(html).toMatch(/<button type="submit" name="patient" value="p2">/);
    expect(html).toContain('name="code_challenge"');

    const target = redirectTarget(await authorize(sb, { scope, challenge, extra: { patient: "p2" } }));
    const res = await exchange({ code: target.searchParams.get("code")!, verifier });
    const token = (await res.json()) as TokenResponse;
    expect(token.patient).toBe("p2");
    expect((await fhir(sb, token.access_token, "Patient/p2")).status).toBe(200);
    expect((await fhir(sb, token.access_token, "Patient/p1")).status).toBe(403);
  });

  it("applies the faults chosen at /launcher to the standalone authorisation (by cookie)", async () => {
    const launchRes = await fetch(
      `${sb.url}/launcher?launch_uri=${encodeURIComponent(LAUNCH_URI)}&launch_type=standalone&auth_error=auth_invalid_scope`,
      { redirect: "manual" },
    );
    const cookie = launchRes.headers.get("set-cookie")!.split(";")[0];
    const target = redirectTarget(await authorize(sb, { scope: `launch/patient ${READ_SCOPES}`, challenge: pkce().challenge, cookie }));
    expect(target.searchParams.get("error")).toBe("invalid_scope");
  });

  it("sends access_denied when the user cancels the picker", async () => {
    const target = redirectTarget(
      await authorize(sb, { scope: `launch/patient ${READ_SCOPES}`, challenge: pkce().challenge, extra: { deny: "1" } }),
    );
    expect(target.searchParams.get("error")).toBe("access_denied");
  });
});
