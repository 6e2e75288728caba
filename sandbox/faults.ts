/**
 * Fault injection, chosen at launch like the public SMART launcher's simulated errors, or set for
 * every token by environment variables (benchmarks: SANDBOX_LATENCY_MS=100).
 */

import { mulberry32 } from "./random";
import { parseTypeFaults, typeFaultsText, type TypeFault } from "./typeFaults";

/** The public launcher's simulated error names (launch.smarthealthit.org, "Simulate error"). */
export const AUTH_ERRORS = [
  "auth_invalid_client_id",
  "auth_invalid_redirect_uri",
  "auth_invalid_scope",
  "token_invalid_token",
  "token_expired_refresh_token",
  "request_invalid_token",
  "request_expired_token",
] as const;
export type AuthError = (typeof AUTH_ERRORS)[number];

export const AUTH_ERROR_LABELS: Record<AuthError, string> = {
  auth_invalid_client_id: "Authorize: invalid client id",
  auth_invalid_redirect_uri: "Authorize: invalid redirect_uri",
  auth_invalid_scope: "Authorize: invalid scope",
  token_invalid_token: "Token: code exchange refused",
  token_expired_refresh_token: "Token: refresh token expired",
  request_invalid_token: "FHIR: access token invalid (401)",
  request_expired_token: "FHIR: access token expired (401)",
};

export interface Faults {
  /** Added before each FHIR answer. */
  latencyMs: number;
  /** Share (0..1) of FHIR requests answered 500. */
  failRate: number;
  /** Share (0..1) of FHIR requests answered 429 with Retry-After: 1. */
  rateLimit: number;
  /** Resource types ("*" = all) whose searches answer 200 with truncated JSON. */
  malformed: string[];
  /** Resource types ("*" = all) whose searches always carry a `next` link. */
  endlessNext: string[];
  /** Access token lifetime in seconds (the token really stops working then). */
  expireAfterS?: number;
  authError?: AuthError;
  /** Seed for the 500/429 dice, for reproducible runs. */
  seed?: number;
  /** Failures of one kind of data (typeFaults.ts): `Condition:403`, `Observation[17861-6]:hang`. */
  typeErrors: TypeFault[];
  /** Behave like the SMART launcher's FHIR proxy: "//" becomes "/" in every request URL. */
  proxyRewrite: boolean;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  failRate: 0,
  rateLimit: 0,
  malformed: [],
  endlessNext: [],
  typeErrors: [],
  proxyRewrite: false,
};

/**
 * With `token_expired_refresh_token` the refresh only fails when the app refreshes, which would
 * otherwise take an hour: tokens of such a launch expire after this many seconds unless
 * `expire_after_s` says otherwise.
 */
export const EXPIRED_REFRESH_DEFAULT_LIFETIME_S = 20;

/** Launcher query parameter (and env var suffix) for each fault. */
const PARAMS = {
  latencyMs: "latency_ms",
  failRate: "fail_rate",
  rateLimit: "rate_limit",
  malformed: "malformed",
  endlessNext: "endless_next",
  expireAfterS: "expire_after_s",
  authError: "auth_error",
  seed: "fault_seed",
  typeErrors: "type_error",
  proxyRewrite: "proxy_rewrite",
} as const;

/**
 * Parses fault parameters (empty values = not set). Throws an Error naming the bad parameter as
 * `label` spells it (the launcher parameter, or the environment variable).
 */
export function parseFaults(get: (name: string) => string | undefined | null, label = (name: string) => name): Partial<Faults> {
  const out: Partial<Faults> = {};
  const value = (name: string) => {
    const v = get(name)?.trim();
    return v ? v : undefined;
  };
  const number = (name: string, min: number, max: number) => {
    const v = value(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${label(name)} must be a number from ${min} to ${max}, got "${v}"`);
    return n;
  };
  const list = (name: string) => {
    const v = value(name);
    return v === undefined
      ? undefined
      : v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  };
  const set = <K extends keyof Faults>(key: K, v: Faults[K] | undefined) => {
    if (v !== undefined) out[key] = v;
  };
  set("latencyMs", number(PARAMS.latencyMs, 0, 60_000));
  set("failRate", number(PARAMS.failRate, 0, 1));
  set("rateLimit", number(PARAMS.rateLimit, 0, 1));
  set("malformed", list(PARAMS.malformed));
  set("endlessNext", list(PARAMS.endlessNext));
  set("expireAfterS", number(PARAMS.expireAfterS, 1, 86_400));
  set("seed", number(PARAMS.seed, 0, 2 ** 32));
  const typeErrors = value(PARAMS.typeErrors);
  if (typeErrors !== undefined) out.typeErrors = parseTypeFaults(typeErrors, label(PARAMS.typeErrors));
  const rewrite = value(PARAMS.proxyRewrite);
  if (rewrite !== undefined) {
    if (rewrite !== "1" && rewrite !== "0" && rewrite !== "true" && rewrite !== "false") {
      throw new Error(`${label(PARAMS.proxyRewrite)} must be 1 or 0, got "${rewrite}"`);
    }
    out.proxyRewrite = rewrite === "1" || rewrite === "true";
  }
  const authError = value(PARAMS.authError);
  if (authError !== undefined) {
    if (!(AUTH_ERRORS as readonly string[]).includes(authError)) {
      throw new Error(`${label(PARAMS.authError)} must be one of ${AUTH_ERRORS.join(", ")}, got "${authError}"`);
    }
    out.authError = authError as AuthError;
  }
  return out;
}

/** Global defaults from SANDBOX_LATENCY_MS and SANDBOX_FAULT_<PARAM> (e.g. SANDBOX_FAULT_FAIL_RATE). */
export function faultsFromEnv(env: NodeJS.ProcessEnv): Partial<Faults> {
  const variable = (name: string) => (name === PARAMS.latencyMs ? "SANDBOX_LATENCY_MS" : `SANDBOX_FAULT_${name.toUpperCase()}`);
  return parseFaults((name) => env[variable(name)], variable);
}

/** Launch settings override global ones, field by field. */
export function mergeFaults(...layers: (Partial<Faults> | undefined)[]): Faults {
  const out: Faults = { ...NO_FAULTS };
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The launcher query string for faults (the launch page and tests build URLs with it). */
export function faultParams(f: Partial<Faults>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(PARAMS)) {
    const v = f[key as keyof Faults];
    if (v === undefined || (Array.isArray(v) && v.length === 0) || v === false) continue;
    if (key === "typeErrors") out[name] = typeFaultsText(v as TypeFault[]);
    else if (key === "proxyRewrite") out[name] = "1";
    else out[name] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return out;
}

export function appliesTo(types: readonly string[], resourceType: string): boolean {
  return types.includes("*") || types.includes(resourceType);
}

/** A seeded random source, so a run with `fault_seed` fails the same requests every time. */
export function dice(seed: number = Math.floor(Math.random() * 2 ** 32)): () => number {
  return mulberry32(seed);
}

/** One roll per FHIR request: 429 first (its share), then 500 (its share), else nothing. */
export function rollFailure(f: Faults, roll: () => number): 429 | 500 | undefined {
  const r = roll();
  if (r < f.rateLimit) return 429;
  if (r < f.rateLimit + f.failRate) return 500;
  return undefined;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
