/**
 * Granted SMART scopes, parsed: which resource types the app may create, read and search. Pure.
 *
 * SMART v2 (App Launch 2.x): `patient/DocumentReference.c`, `user/Observation.rs`, `patient/*.cruds`,
 * optionally narrowed by a query (`patient/Observation.rs?category=laboratory`).
 * SMART v1: `patient/DocumentReference.write`, `patient/*.read`, `user/*.*`, and the bare `*.*` some
 * servers grant. v1 `read` means read+search, `write` means create+update+delete, `*` means all.
 *
 * The lead's app shell uses the same parser for "the UI adapts to the scopes granted".
 */

export type Permission = "c" | "r" | "u" | "d" | "s";
export type ScopeContext = "patient" | "user" | "system" | "*";

export interface ScopeGrant {
  /** The scope as granted. */
  raw: string;
  context: ScopeContext;
  /** A resource type, or "*" for all types. */
  resourceType: string;
  permissions: Permission[];
  version: "v1" | "v2";
  /** v2 granular restriction (`category=laboratory`), when present. */
  query?: string;
}

export interface GrantedScopes {
  grants: ScopeGrant[];
  /** Non-resource scopes: launch, openid, fhirUser, offline_access, launch/patient … */
  other: string[];
  /** Resource-looking scopes that could not be parsed (ignored, reported). */
  invalid: string[];
}

export interface ScopeDecision {
  allowed: boolean;
  /** The granted scope that allows it. */
  via?: string;
  /** The query restriction of that scope, when the only allowing scope carries one. */
  restriction?: string;
}

const V1 = /^(patient|user|system)\/([A-Za-z]+|\*)\.(read|write|\*)$/;
const V2 = /^(patient|user|system)\/([A-Za-z]+|\*)\.([cruds]+)(?:\?(.*))?$/;
const BARE_ALL = /^\*\.(\*|read|write)$/;
const ORDER = "cruds";

function v1Permissions(access: string): Permission[] {
  if (access === "read") return ["r", "s"];
  if (access === "write") return ["c", "u", "d"];
  return ["c", "r", "u", "d", "s"];
}

/** v2 permissions must appear in the order c, r, u, d, s, each at most once. */
function v2Permissions(text: string): Permission[] | null {
  let last = -1;
  const out: Permission[] = [];
  for (const ch of text) {
    const index = ORDER.indexOf(ch);
    if (index <= last) return null;
    last = index;
    out.push(ch as Permission);
  }
  return out;
}

export function parseScopes(input: string | readonly string[] | null | undefined): GrantedScopes {
  const tokens = (typeof input === "string" ? input.split(/\s+/) : [...(input ?? [])])
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  const result: GrantedScopes = { grants: [], other: [], invalid: [] };
  for (const raw of tokens) {
    const bare = BARE_ALL.exec(raw);
    if (bare) {
      result.grants.push({ raw, context: "*", resourceType: "*", permissions: v1Permissions(bare[1]), version: "v1" });
      continue;
    }
    const v1 = V1.exec(raw);
    if (v1) {
      result.grants.push({
        raw,
        context: v1[1] as ScopeContext,
        resourceType: v1[2],
        permissions: v1Permissions(v1[3]),
        version: "v1",
      });
      continue;
    }
    const v2 = V2.exec(raw);
    if (v2) {
      const permissions = v2Permissions(v2[3]);
      if (!permissions) {
        result.invalid.push(raw);
        continue;
      }
      result.grants.push({
        raw,
        context: v2[1] as ScopeContext,
        resourceType: v2[2],
        permissions,
        version: "v2",
        ...(v2[4] ? { query: v2[4] } : {}),
      });
      continue;
    }
    if (/^(patient|user|system)\//.test(raw) && !raw.startsWith("launch/")) result.invalid.push(raw);
    else result.other.push(raw);
  }
  return result;
}

/**
 * May the app do `permission` on `resourceType` for the patient in context? patient/, user/ and
 * system/ scopes all count (the server narrows user/ scopes by the user's own rights).
 * An unrestricted grant wins over a query-restricted one.
 */
export function scopeAllows(scopes: GrantedScopes, resourceType: string, permission: Permission): ScopeDecision {
  const matching = scopes.grants.filter(
    (grant) => (grant.resourceType === "*" || grant.resourceType === resourceType) && grant.permissions.includes(permission),
  );
  const unrestricted = matching.find((grant) => !grant.query);
  if (unrestricted) return { allowed: true, via: unrestricted.raw };
  const restricted = matching[0];
  if (restricted) return { allowed: true, via: restricted.raw, restriction: restricted.query };
  return { allowed: false };
}

export const canCreate = (scopes: GrantedScopes, resourceType: string): boolean => scopeAllows(scopes, resourceType, "c").allowed;

export const canSearch = (scopes: GrantedScopes, resourceType: string): boolean => scopeAllows(scopes, resourceType, "s").allowed;

export const canRead = (scopes: GrantedScopes, resourceType: string): boolean => scopeAllows(scopes, resourceType, "r").allowed;

/** The SMART v2 spelling of a permission on a type, for messages ("patient/Condition.c"). */
export function scopeName(resourceType: string, permission: Permission): string {
  return `patient/${resourceType}.${permission}`;
}
