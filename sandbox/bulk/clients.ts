/**
 * SMART Backend Services on the sandbox: registered clients (a client id with its public JWKS and
 * the system/ scopes it may be granted), the client_credentials grant with a private_key_jwt
 * client assertion (RS384 or ES384), and the access tokens it issues. The checks are those of
 * https://hl7.org/fhir/smart-app-launch/backend-services.html: signature by a registered key,
 * iss = sub = client_id, aud = the token endpoint, exp at most five minutes ahead, jti never reused.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { randomId } from "../jwt";

export interface BackendClient {
  clientId: string;
  keys: { kid: string; alg: "RS384" | "ES384"; key: KeyObject }[];
  /** Scopes it may be granted (system/Type.perm, v1 or v2 spelling). */
  scope: string[];
}

export interface SystemGrant {
  clientId: string;
  /** Types readable with search, e.g. {"Patient", "Observation"}; "*" for all. */
  readable: Set<string>;
  scope: string;
  expiresAt: number;
}

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const MAX_ASSERTION_LIFETIME_S = 300;
const TOKEN_LIFETIME_S = 300;
const SYSTEM_SCOPE = /^system\/(\*|[A-Z][A-Za-z]+)\.(read|\*|c?r?u?d?s?)$/;

/** True when the scope reads and searches its type (v1 read or *, v2 with r and s). */
/** A registered scope covers a requested one: same or wildcard type, and at least its permissions (v2 letters). */
function covers(registered: string, requested: string): boolean {
  const r = SYSTEM_SCOPE.exec(registered);
  const q = SYSTEM_SCOPE.exec(requested);
  if (!r || !q || (r[1] !== "*" && r[1] !== q[1])) return false;
  if (r[2] === q[2] || r[2] === "*") return true;
  return /^[cruds]+$/.test(q[2]!) && [...q[2]!].every((p) => r[2]!.includes(p));
}

function readsAndSearches(access: string): boolean {
  return access === "read" || access === "*" || (access.includes("r") && access.includes("s"));
}

function keyAlg(jwk: JsonWebKey): "RS384" | "ES384" | undefined {
  if (jwk.kty === "RSA") return "RS384";
  if (jwk.kty === "EC" && jwk.crv === "P-384") return "ES384";
  return undefined;
}

export class BackendClients {
  private readonly clients = new Map<string, BackendClient>();
  private readonly usedJti = new Map<string, number>();
  private readonly tokens = new Map<string, SystemGrant>();

  /** Registers a client from its public JWKS. Throws an Error naming what is wrong. */
  register(input: { client_id?: unknown; jwks?: unknown; scope?: unknown }): BackendClient {
    const keys = (input.jwks as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new Error("jwks must be a JWK Set with at least one key");
    const parsed = keys.map((k: JsonWebKey & { kid?: string; d?: string }, i: number) => {
      if (typeof k.kid !== "string" || !k.kid) throw new Error(`jwks.keys[${i}] has no kid`);
      if (k.d !== undefined) throw new Error(`jwks.keys[${i}] is a private key: register the public key only`);
      const alg = keyAlg(k);
      if (!alg) throw new Error(`jwks.keys[${i}] must be RSA (RS384) or EC P-384 (ES384)`);
      return { kid: k.kid, alg, key: createPublicKey({ key: k, format: "jwk" }) };
    });
    const scope = typeof input.scope === "string" ? input.scope.split(/\s+/).filter(Boolean) : ["system/*.rs"];
    const bad = scope.filter((s) => !SYSTEM_SCOPE.test(s));
    if (bad.length) throw new Error(`only system/ scopes can be registered, not ${bad.join(" ")}`);
    const clientId = typeof input.client_id === "string" && input.client_id ? input.client_id : `backend-${randomId(9)}`;
    const client = { clientId, keys: parsed, scope };
    this.clients.set(clientId, client);
    return client;
  }

  /** The client_credentials grant. Returns the token response or throws OAuthError. */
  grant(form: URLSearchParams, tokenUrl: string): Record<string, unknown> {
    if (form.get("client_assertion_type") !== ASSERTION_TYPE) {
      throw new OAuthError("invalid_request", `client_assertion_type must be ${ASSERTION_TYPE}`);
    }
    const client = this.verifyAssertion(form.get("client_assertion") ?? "", tokenUrl);
    const requested = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (!requested.length) throw new OAuthError("invalid_scope", "scope is required (system/<Type>.rs …)");
    const allowed = new Set(client.scope);
    const granted = requested.filter((s) => allowed.has(s) || [...allowed].some((a) => covers(a, s)));
    if (!granted.length) throw new OAuthError("invalid_scope", `None of the requested scopes is registered for ${client.clientId}`);
    const readable = new Set<string>();
    for (const s of granted) {
      const m = SYSTEM_SCOPE.exec(s);
      if (m && (readsAndSearches(m[2]!) || (m[1] === "Binary" && /r/.test(m[2]!)))) readable.add(m[1]!);
    }
    const accessToken = randomId();
    this.tokens.set(accessToken, {
      clientId: client.clientId,
      readable,
      scope: granted.join(" "),
      expiresAt: Date.now() + TOKEN_LIFETIME_S * 1000,
    });
    return { access_token: accessToken, token_type: "bearer", expires_in: TOKEN_LIFETIME_S, scope: granted.join(" ") };
  }

  /** The grant behind a bearer token, if it is one of ours and alive. */
  grantOf(authorization: string | undefined): SystemGrant | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const grant = token ? this.tokens.get(token) : undefined;
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }

  private verifyAssertion(jwt: string, tokenUrl: string): BackendClient {
    const bad = (why: string): never => {
      throw new OAuthError("invalid_client", why, 401);
    };
    const parts = jwt.split(".");
    if (parts.length !== 3) bad("client_assertion is not a signed JWT");
    const decode = (s: string): Record<string, unknown> => {
      try {
        return JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Record<string, unknown>;
      } catch {
        return bad("client_assertion is not a signed JWT");
      }
    };
    const header = decode(parts[0]!);
    const claims = decode(parts[1]!);
    const client = typeof claims.iss === "string" ? this.clients.get(claims.iss) : undefined;
    if (!client) return bad(`Unknown client ${String(claims.iss)}: register its JWKS first`);
    if (claims.sub !== client.clientId) bad("client_assertion sub must equal iss (the client_id)");
    if (header.jku !== undefined) bad("jku is not accepted: this client is registered with a JWKS");
    const key = client.keys.find((k) => k.kid === header.kid);
    if (!key) bad(`No registered key with kid ${String(header.kid)}`);
    if (header.alg !== key!.alg) bad(`alg must be ${key!.alg} for key ${key!.kid}, got ${String(header.alg)}`);
    const signature = Buffer.from(parts[2]!, "base64url");
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const ok = verify("sha384", signed, key!.alg === "ES384" ? { key: key!.key, dsaEncoding: "ieee-p1363" } : key!.key, signature);
    if (!ok) bad("client_assertion signature does not verify with the registered key");
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(tokenUrl)) bad(`client_assertion aud must be the token endpoint ${tokenUrl}`);
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number") bad("client_assertion has no exp");
    if ((claims.exp as number) <= now) bad("client_assertion has expired");
    if ((claims.exp as number) > now + MAX_ASSERTION_LIFETIME_S) bad("client_assertion exp is more than five minutes ahead");
    if (typeof claims.jti !== "string" || !claims.jti) bad("client_assertion has no jti");
    this.forgetExpiredJti(now);
    const jtiKey = `${client.clientId} ${claims.jti as string}`;
    if (this.usedJti.has(jtiKey)) bad("client_assertion jti was already used (replay)");
    this.usedJti.set(jtiKey, claims.exp as number);
    return client;
  }

  private forgetExpiredJti(now: number): void {
    for (const [k, exp] of this.usedJti) if (exp < now) this.usedJti.delete(k);
  }
}
