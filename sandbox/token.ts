/**
 * POST /auth/token: authorization_code (with PKCE S256) and refresh_token grants.
 * Errors are OAuth JSON ({error, error_description}), 400 unless the client is at fault (401).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http";
import type { Signer } from "./jwt";
import type { Grant, RefreshGrant, Session, Sessions } from "./sessions";

export interface TokenDeps {
  fhirBase: string;
  styleUrl: string;
  sessions: Sessions;
  signer: Signer;
  tokenLifetimeS: number;
}

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

class OAuthError extends Error {
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export function handleToken(req: IncomingMessage, res: ServerResponse, body: string, deps: TokenDeps): void {
  try {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded")
      fail("invalid_request", "The token request must be application/x-www-form-urlencoded");
    const form = new URLSearchParams(body);
    const grantType = form.get("grant_type");
    const answer =
      grantType === "authorization_code"
        ? exchangeCode(req, form, deps)
        : grantType === "refresh_token"
          ? refresh(req, form, deps)
          : fail("unsupported_grant_type", `grant_type must be authorization_code or refresh_token, got "${grantType ?? ""}"`);
    sendJson(res, 200, answer, NO_STORE);
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    const headers: Record<string, string> = { ...NO_STORE };
    if (e.status === 401) headers["WWW-Authenticate"] = 'Basic realm="smart-sandbox"';
    sendJson(res, e.status, { error: e.error, error_description: e.message }, headers);
  }
}

function fail(error: string, description: string, status = 400): never {
  throw new OAuthError(error, description, status);
}

/** The client id from the form (public clients) or HTTP Basic (confidential; the secret is not checked). */
function clientIdOf(req: IncomingMessage, form: URLSearchParams): string | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!basic) return form.get("client_id") ?? undefined;
  const id = Buffer.from(basic, "base64").toString("utf8").split(":")[0];
  try {
    return decodeURIComponent(id.replace(/\+/g, " "));
  } catch {
    fail("invalid_client", "Malformed Basic authorization header", 401);
  }
}

function exchangeCode(req: IncomingMessage, form: URLSearchParams, deps: TokenDeps) {
  const codeValue = form.get("code");
  if (!codeValue) fail("invalid_request", "code is required");
  const { code, replayed } = deps.sessions.redeemCode(codeValue);
  if (replayed) fail("invalid_grant", "This authorization code was already used; the token issued for it is revoked");
  if (!code) fail("invalid_grant", "Unknown or expired authorization code");
  if (form.get("redirect_uri") !== code.redirectUri) fail("invalid_grant", "redirect_uri does not match the authorization request");
  const clientId = clientIdOf(req, form);
  if (!clientId) fail("invalid_client", "client_id is required for a public client", 401);
  if (clientId !== code.clientId) fail("invalid_grant", "The code was issued to another client_id");
  const verifier = form.get("code_verifier");
  if (!verifier) fail("invalid_request", "code_verifier is required (PKCE)");
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) fail("invalid_request", "code_verifier must be 43-128 characters of [A-Za-z0-9._~-]");
  if (createHash("sha256").update(verifier).digest("base64url") !== code.codeChallenge) {
    fail("invalid_grant", "code_verifier does not match the code_challenge (PKCE S256)");
  }
  if (code.faults.authError === "token_invalid_token") {
    fail("invalid_grant", "The authorization code is invalid (simulated error token_invalid_token)");
  }
  const { session, refresh } = deps.sessions.issueTokens(code, lifetime(code, deps), { code: codeValue });
  return tokenResponse(session, refresh, deps, true);
}

function refresh(req: IncomingMessage, form: URLSearchParams, deps: TokenDeps) {
  const token = form.get("refresh_token");
  if (!token) fail("invalid_request", "refresh_token is required");
  const grant = deps.sessions.refreshGrant(token);
  if (!grant) fail("invalid_grant", "Unknown or expired refresh token");
  const clientId = clientIdOf(req, form);
  if (clientId && clientId !== grant.clientId) fail("invalid_grant", "The refresh token was issued to another client_id");
  if (grant.faults.authError === "token_expired_refresh_token") {
    fail("invalid_grant", "The refresh token has expired (simulated error token_expired_refresh_token)");
  }
  const requested = form.get("scope");
  if (requested) {
    const have = new Set(grant.scope.split(" "));
    const extra = requested.split(/\s+/).filter((s) => s && !have.has(s));
    if (extra.length) fail("invalid_scope", `A refresh cannot add scopes: ${extra.join(" ")}`);
  }
  const { session } = deps.sessions.issueTokens(grant, lifetime(grant, deps), { refresh: grant, roll: grant.roll });
  return tokenResponse(session, grant, deps, false);
}

function lifetime(grant: Grant, deps: TokenDeps): number {
  return grant.faults.expireAfterS ?? deps.tokenLifetimeS;
}

function tokenResponse(session: Session, refresh: RefreshGrant | undefined, deps: TokenDeps, withIdToken: boolean) {
  const now = Math.floor(Date.now() / 1000);
  const lifetimeS = Math.round((session.expiresAt - Date.now()) / 1000);
  return {
    access_token: session.accessToken,
    token_type: "Bearer",
    expires_in: lifetimeS,
    scope: session.scope,
    ...(session.patientId ? { patient: session.patientId } : {}),
    ...(session.encounterId ? { encounter: session.encounterId } : {}),
    need_patient_banner: session.needPatientBanner !== false,
    smart_style_url: deps.styleUrl,
    ...(refresh ? { refresh_token: refresh.refreshToken } : {}),
    ...(withIdToken && session.fhirUser
      ? {
          id_token: deps.signer.sign({
            iss: deps.fhirBase,
            sub: createHash("sha256").update(session.fhirUser).digest("hex"),
            aud: session.clientId,
            iat: now,
            exp: now + lifetimeS,
            fhirUser: session.fhirUser,
            profile: session.fhirUser,
            ...(session.nonce ? { nonce: session.nonce } : {}),
          }),
        }
      : {}),
  };
}
