import { scopeAllows, scopeName, type GrantedScopes } from "./scopes";
import type { ComposedEntry } from "./types";

/**
 * Whether one resource type may be written, and how duplicates are prevented, from the server's
 * CapabilityStatement (as read by src/fhir/capabilities.ts) and the granted scopes:
 * - written only if a granted scope allows `create` on it (v2 `.c`, v1 `.write`) AND the
 *   CapabilityStatement lists `create` for it; when the CapabilityStatement could not be read, the
 *   note (Tier A) is still attempted (search first), Tier B is not;
 * - duplicates prevented by `If-None-Exist` where the server declares conditional create, else by a
 *   search on the identifier before the create (needs `search-type` and a search scope); a type with
 *   neither is not written: a retry could duplicate it.
 * Every refusal carries a reason a clinician can read, with the technical detail in parentheses.
 */

/** The shape `readCapabilities(client)` returns (src/fhir/capabilities.ts); only what we read. */
export interface WriteCapabilities {
  fhirVersion?: string | null;
  resources: Record<string, { interactions: string[]; conditionalCreate: boolean } | undefined>;
  transaction: boolean;
  batch?: boolean;
}

export type ResourceType = ComposedEntry["resourceType"];
export type Dedup = "if-none-exist" | "search-first";

export interface TypeDecision {
  write: boolean;
  dedup?: Dedup;
  /** May the app search this type by identifier (after a timeout, or before a create)? */
  canSearch: boolean;
  reason?: string;
}

export const WRITTEN_TYPES: readonly ResourceType[] = ["DocumentReference", "Condition", "DetectedIssue", "ServiceRequest", "Provenance"];

const TYPE_LABELS: Record<ResourceType, string> = {
  DocumentReference: "notes",
  Condition: "diagnoses",
  DetectedIssue: "flagged issues",
  ServiceRequest: "order proposals",
  Provenance: "audit records",
};

export function decideType(
  type: ResourceType,
  tier: "A" | "B",
  capabilities: WriteCapabilities | null,
  scopes: GrantedScopes,
): TypeDecision {
  const label = TYPE_LABELS[type];
  const search = scopeAllows(scopes, type, "s").allowed;
  if (!scopeAllows(scopes, type, "c").allowed) {
    return {
      write: false,
      canSearch: search,
      reason: `the app was not given permission to create ${label} (no ${scopeName(type, "c")} scope)`,
    };
  }
  if (!capabilities) {
    if (tier === "B") {
      return {
        write: false,
        canSearch: search,
        reason: `the app could not find out whether this EHR accepts ${label} (its capability statement could not be read)`,
      };
    }
    if (!search) {
      return {
        write: false,
        canSearch: false,
        reason:
          `the app could not find out what this EHR accepts and may not look for an earlier copy (no ${scopeName(type, "s")} scope), ` +
          "so sending again could make a second copy",
      };
    }
    return { write: true, dedup: "search-first", canSearch: true };
  }
  const resource = capabilities.resources[type];
  if (!resource || !resource.interactions.includes("create")) {
    return {
      write: false,
      canSearch: search,
      reason: `this EHR does not accept ${label} from apps (no create for ${type} in its capability statement)`,
    };
  }
  const serverSearch = resource.interactions.includes("search-type");
  const canSearch = search && serverSearch;
  if (resource.conditionalCreate) return { write: true, dedup: "if-none-exist", canSearch };
  if (canSearch) return { write: true, dedup: "search-first", canSearch };
  return {
    write: false,
    canSearch: false,
    reason: !serverSearch
      ? `this EHR cannot tell the app whether it already holds them, so sending again could make a second copy (no conditional create or search for ${type})`
      : `this EHR cannot tell the app whether it already holds them and the app may not search for them, so sending again could make a second copy (no conditional create for ${type}, no ${scopeName(type, "s")} scope)`,
  };
}

/** True when no granted scope allows creating any of the written types: a read-only registration. */
export function readOnlyRegistration(scopes: GrantedScopes): boolean {
  return WRITTEN_TYPES.every((type) => !scopeAllows(scopes, type, "c").allowed);
}
