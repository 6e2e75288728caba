/**
 * SMART scopes: parsing (v1 and v2 spellings), negotiation at /authorize, and permission checks at
 * the FHIR endpoint. https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

/** SMART v2 permissions: create, read, update, delete, search. */
export type Permission = "c" | "r" | "u" | "d" | "s";

export interface ResourceScope {
  context: "patient" | "user";
  /** A resource type, or "*". */
  type: string;
  permissions: ReadonlySet<Permission>;
}

/** Non-resource scopes the sandbox grants when asked (and lists in its smart-configuration). */
export const CONTEXT_SCOPES: ReadonlySet<string> = new Set([
  "openid",
  "fhirUser",
  "profile",
  "launch",
  "launch/patient",
  "launch/encounter",
  "online_access",
  "offline_access",
]);

const V1: Record<string, Permission[]> = { read: ["r", "s"], write: ["c", "u", "d"], "*": ["c", "r", "u", "d", "s"] };

/** Parses `patient/Observation.rs`, `user/*.read`, … ; undefined for anything else. */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const m = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/.exec(scope);
  if (!m) return undefined;
  const [, context, type, access] = m;
  let permissions: Permission[] | undefined = V1[access];
  // v2: a non-empty subset of "cruds", in that order.
  if (!permissions && /^c?r?u?d?s?$/.test(access)) permissions = [...access] as Permission[];
  if (!permissions?.length) return undefined;
  return { context: context as "patient" | "user", type, permissions: new Set(permissions) };
}

export interface ScopeGrant {
  /** Granted scopes, in the order requested (the token response's `scope`). */
  granted: string[];
  /** Requested scopes the sandbox does not grant (system/ scopes, query-restricted scopes, unknown). */
  refused: string[];
  resourceScopes: ResourceScope[];
}

/**
 * Grants every requested scope the sandbox understands. Scopes with query restrictions
 * (`patient/Observation.rs?category=laboratory`) are not granted, since the sandbox would not
 * enforce the restriction: the token response then tells the app what it really has.
 */
export function negotiateScopes(requested: string): ScopeGrant {
  const granted: string[] = [];
  const refused: string[] = [];
  const resourceScopes: ResourceScope[] = [];
  for (const scope of new Set(requested.split(/\s+/).filter(Boolean))) {
    const parsed = parseResourceScope(scope);
    if (parsed) {
      resourceScopes.push(parsed);
      granted.push(scope);
    } else if (CONTEXT_SCOPES.has(scope)) {
      granted.push(scope);
    } else {
      refused.push(scope);
    }
  }
  return { granted, refused, resourceScopes };
}

/**
 * Which scope context grants `permission` on `type`: "user" (any patient) wins over "patient"
 * (the launch patient's compartment only); undefined when nothing grants it.
 */
export function grantContext(scopes: readonly ResourceScope[], type: string, permission: Permission): "user" | "patient" | undefined {
  let result: "user" | "patient" | undefined;
  for (const s of scopes) {
    if ((s.type === type || s.type === "*") && s.permissions.has(permission)) {
      if (s.context === "user") return "user";
      result = "patient";
    }
  }
  return result;
}

const PERMISSION_NAMES: Record<Permission, string> = { c: "create", r: "read", u: "update", d: "delete", s: "search" };

/** Human text for a 403: what is missing and which scope would grant it. */
export function missingScopeText(type: string, permission: Permission): string {
  const reading = permission === "r" || permission === "s";
  return (
    `The access token does not allow ${PERMISSION_NAMES[permission]} on ${type}: ` +
    `missing scope patient/${type}.${reading ? "rs" : permission} (SMART v2, needs "${permission}") ` +
    `or patient/${type}.${reading ? "read" : "write"} (v1).`
  );
}
