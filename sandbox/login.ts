/**
 * An EHR launch through the sandbox as a browser would make it (launcher → authorize with PKCE S256
 * → token), without a browser: for tests and benchmarks that need a real patient-scoped token.
 * Throws an Error naming the step that failed.
 */
import { createHash, randomBytes } from "node:crypto";

export interface SandboxLogin {
  patient: string;
  scope: string;
  clientId: string;
  /** Where the launcher sends the browser (only its `launch` parameter is used here). */
  launchUri: string;
  redirectUri: string;
  /** Extra launcher parameters: simulated errors and faults (auth_error, latency_ms, …). */
  launchParams?: Record<string, string>;
}

export interface SandboxToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  patient?: string;
  refresh_token?: string;
  id_token?: string;
  need_patient_banner?: boolean;
  smart_style_url?: string;
}

export async function loginToSandbox(sandbox: { url: string; fhirBase: string }, login: SandboxLogin): Promise<SandboxToken> {
  const launcher = new URL(`${sandbox.url}/launcher`);
  launcher.searchParams.set("launch_uri", login.launchUri);
  launcher.searchParams.set("patient", login.patient);
  for (const [name, value] of Object.entries(login.launchParams ?? {})) launcher.searchParams.set(name, value);
  const toApp = await fetch(launcher, { redirect: "manual" });
  const appUrl = new URL(toApp.headers.get("location") ?? "", launcher);
  const launch = appUrl.searchParams.get("launch");
  if (toApp.status !== 302 || !launch || appUrl.searchParams.get("iss") !== sandbox.fhirBase) {
    throw new Error(`launcher: expected a redirect with iss=${sandbox.fhirBase} and a launch id, got HTTP ${toApp.status} ${appUrl.href}`);
  }

  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const authorize = new URL(`${sandbox.url}/auth/authorize`);
  for (const [name, value] of Object.entries({
    response_type: "code",
    client_id: login.clientId,
    redirect_uri: login.redirectUri,
    scope: login.scope,
    state,
    aud: sandbox.fhirBase,
    launch,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  })) {
    authorize.searchParams.set(name, value);
  }
  const back = await fetch(authorize, { redirect: "manual" });
  const redirect = new URL(back.headers.get("location") ?? "", authorize);
  const code = redirect.searchParams.get("code");
  if (!code || redirect.searchParams.get("state") !== state) {
    throw new Error(`authorize: no code (${redirect.searchParams.get("error") ?? `HTTP ${back.status}`}) ${redirect.href}`);
  }

  const response = await fetch(`${sandbox.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: login.redirectUri,
      client_id: login.clientId,
      code_verifier: verifier,
    }),
  });
  if (response.status !== 200) throw new Error(`token: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as SandboxToken;
}
