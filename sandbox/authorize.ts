/**
 * GET /launcher and GET /auth/authorize.
 *
 * Error delivery (RFC 6749 §4.1.2.1): once the redirect_uri is known to be usable, errors go back to
 * the app as `redirect_uri?error=…&error_description=…&state=…`, so the app can show a specific
 * screen. The public SMART launcher instead answers simulated client/scope errors with an error
 * page at the server; here `auth_invalid_client_id` redirects with error=invalid_client (the app
 * must name a client-id problem) and `auth_invalid_scope` with error=invalid_scope. A missing or
 * malformed redirect_uri, and the `auth_invalid_redirect_uri` fault, show an HTML error page at the
 * sandbox: an authorisation server must never redirect to a redirect URI it does not trust.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { EXPIRED_REFRESH_DEFAULT_LIFETIME_S, mergeFaults, parseFaults, type Faults } from "./faults";
import { redirect, sendHtml } from "./http";
import { embeddedLaunchPage, errorPage, patientPicker, type PatientSummary } from "./pages";
import { negotiateScopes } from "./scopes";
import type { Sessions } from "./sessions";

export interface AuthorizeDeps {
  fhirBase: string;
  sessions: Sessions;
  globalFaults: Partial<Faults>;
  patients(): PatientSummary[];
  patientExists(id: string): boolean;
  /** Most recent Encounter of a patient, for the `encounter` launch context. */
  encounterOf(patientId: string): string | undefined;
  practitionerExists(id: string): boolean;
  defaultProviderId: string;
}

/** Cookie tying a standalone launch started at /launcher to its faults, when /auth/authorize is reached. */
const STANDALONE_COOKIE = "smart_sandbox_launch";

/** The app's launch URL, if `value` is an absolute http(s) URL; else why not. */
export function parseLaunchUri(value: string | null | undefined): { url: URL } | { error: string } {
  try {
    const url = new URL(value?.trim() ?? "");
    if (url.protocol === "http:" || url.protocol === "https:") return { url };
  } catch {
    // not a URL: said below
  }
  return { error: `launch_uri must be an absolute http(s) URL, got "${value ?? ""}".` };
}

/**
 * GET /launcher: like the public launcher, stores the context and sends the browser to the app;
 * `launch_type=embedded` answers instead with a simulated EHR page that opens the app in a frame.
 */
export function handleLauncher(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, deps: AuthorizeDeps): void {
  const bad = (message: string) => sendHtml(res, 400, errorPage("Invalid launch", message));
  const launchUri = parseLaunchUri(query.get("launch_uri"));
  if ("error" in launchUri) return bad(launchUri.error);
  const target = launchUri.url;
  const patientId = query.get("patient")?.trim() || undefined;
  if (patientId && !deps.patientExists(patientId)) return bad(`Unknown patient "${patientId}".`);
  const providerId = query.get("provider")?.trim() || undefined;
  if (providerId && !deps.practitionerExists(providerId)) return bad(`Unknown practitioner "${providerId}".`);
  let faults: Partial<Faults>;
  try {
    faults = parseFaults((name) => query.get(name));
  } catch (e) {
    return bad((e as Error).message);
  }
  const launchType = query.get("launch_type")?.trim() || "ehr";
  const standalone = launchType === "standalone" || launchType === "provider-standalone";
  const embedded = launchType === "embedded";
  if (!standalone && !embedded && launchType !== "ehr" && launchType !== "provider-ehr") {
    return bad(`launch_type must be "ehr", "standalone" or "embedded".`);
  }

  const launch = deps.sessions.createLaunch({ patientId, providerId, faults, standalone, embedded });
  target.searchParams.set("iss", deps.fhirBase);
  if (embedded) {
    target.searchParams.set("launch", launch.id);
    const patient = deps.patients().find((p) => p.id === patientId);
    // The frame goes to the app, then to this server's /auth/authorize, then back to the app.
    return sendHtml(res, 200, embeddedLaunchPage(patient, target.href), {
      "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; frame-src 'self' ${target.origin}; frame-ancestors 'none'`,
    });
  }
  if (standalone) {
    // No launch parameter in a standalone launch: /auth/authorize finds the faults by cookie.
    return redirect(res, target.href, {
      "Set-Cookie": `${STANDALONE_COOKIE}=${launch.id}; Path=/auth; HttpOnly; SameSite=Lax; Max-Age=3600`,
    });
  }
  target.searchParams.set("launch", launch.id);
  redirect(res, target.href);
}

/** GET /auth/authorize */
export function handleAuthorize(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, deps: AuthorizeDeps): void {
  const get = (name: string) => query.get(name)?.trim() || undefined;
  const launchParam = get("launch");
  const standaloneId = launchParam ? undefined : cookie(req, STANDALONE_COOKIE);
  const launch = deps.sessions.launch(launchParam ?? standaloneId);
  const faults = mergeFaults(deps.globalFaults, launch?.faults);
  // A standalone launch's faults apply to one authorisation: the cookie goes once the app has its answer.
  const back = (url: URL) => redirect(res, url.href, standaloneId ? { "Set-Cookie": `${STANDALONE_COOKIE}=; Path=/auth; Max-Age=0` } : {});

  // 1. redirect_uri: until it is known to be usable, errors are shown here.
  const redirectUri = get("redirect_uri");
  let target: URL;
  try {
    target = new URL(redirectUri ?? "");
    if (target.protocol !== "http:" && target.protocol !== "https:") throw new Error();
  } catch {
    return sendHtml(
      res,
      400,
      errorPage(
        "Invalid redirect_uri",
        `The redirect_uri "${redirectUri ?? ""}" is missing or not an absolute http(s) URL, so the sandbox cannot send you back to the app.`,
      ),
    );
  }
  if (faults.authError === "auth_invalid_redirect_uri") {
    return sendHtml(
      res,
      400,
      errorPage(
        "Invalid redirect_uri",
        `The redirect_uri ${redirectUri} is not registered for this app (simulated error auth_invalid_redirect_uri). The EHR does not send you back to the app.`,
      ),
    );
  }

  const state = get("state");
  const fail = (error: string, description: string) => {
    target.searchParams.set("error", error);
    target.searchParams.set("error_description", description);
    if (state) target.searchParams.set("state", state);
    back(target);
  };

  // 2. The request itself.
  if (get("response_type") !== "code") return fail("unsupported_response_type", 'response_type must be "code"');
  const clientId = get("client_id");
  if (!clientId) return fail("invalid_request", "client_id is required");
  if (faults.authError === "auth_invalid_client_id")
    return fail("invalid_client", `Unknown client_id "${clientId}" (simulated error auth_invalid_client_id)`);
  if (!state) return fail("invalid_request", "state is required");
  if (!sameAudience(get("aud"), deps.fhirBase))
    return fail("invalid_request", `aud must be the FHIR base URL ${deps.fhirBase}, got "${get("aud") ?? ""}"`);
  const method = get("code_challenge_method");
  if (method !== "S256")
    return fail("invalid_request", `PKCE is required with code_challenge_method=S256${method ? ` (got "${method}")` : ""}`);
  const challenge = get("code_challenge");
  if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
    return fail("invalid_request", "code_challenge must be the base64url SHA-256 of the code_verifier (43 characters)");
  if (faults.authError === "auth_invalid_scope")
    return fail("invalid_scope", "The requested scopes are not allowed for this client (simulated error auth_invalid_scope)");
  const scopes = negotiateScopes(get("scope") ?? "");
  if (launchParam && !launch) return fail("invalid_request", "Unknown or expired launch parameter: launch the app again from the EHR");
  if (get("deny")) return fail("access_denied", "The user declined access");

  // 3. Context: the launch's patient (EHR launch) or the user's pick (standalone launch).
  const wantsPatient = launchParam
    ? scopes.granted.includes("launch") || scopes.granted.includes("launch/patient")
    : scopes.granted.includes("launch/patient");
  let patientId = launchParam ? launch?.patientId : undefined;
  if (wantsPatient && !patientId) {
    const picked = get("patient");
    if (!picked || !deps.patientExists(picked)) {
      return sendHtml(res, 200, patientPicker(deps.patients(), query, launch?.patientId));
    }
    patientId = picked;
  }
  if (!wantsPatient) patientId = undefined;

  const wantsEncounter = scopes.granted.includes("launch/encounter") || (launchParam !== undefined && scopes.granted.includes("launch"));
  const hasUser = scopes.granted.includes("openid") && (scopes.granted.includes("fhirUser") || scopes.granted.includes("profile"));
  const code = deps.sessions.issueCode({
    clientId,
    redirectUri: redirectUri!,
    codeChallenge: challenge,
    scope: scopes.granted.join(" "),
    resourceScopes: scopes.resourceScopes,
    patientId,
    encounterId: wantsEncounter && patientId ? deps.encounterOf(patientId) : undefined,
    fhirUser: hasUser ? `Practitioner/${launch?.providerId ?? deps.defaultProviderId}` : undefined,
    nonce: get("nonce"),
    ...(launch?.embedded ? { needPatientBanner: false } : {}),
    faults:
      faults.authError === "token_expired_refresh_token" && faults.expireAfterS === undefined
        ? { ...faults, expireAfterS: EXPIRED_REFRESH_DEFAULT_LIFETIME_S }
        : faults,
  });
  target.searchParams.set("code", code);
  target.searchParams.set("state", state);
  back(target);
}

/** aud must name this FHIR server; localhost and 127.0.0.1 are the same machine, a trailing / is tolerated. */
function sameAudience(aud: string | undefined, fhirBase: string): boolean {
  if (!aud) return false;
  const norm = (u: string) => u.replace(/\/+$/, "").replace("://127.0.0.1:", "://localhost:");
  return norm(aud) === norm(fhirBase);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}
