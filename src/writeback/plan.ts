import type { Bundle, FhirResource } from "fhir/r4";
import type { Assessment } from "../clinical/types";
import { compose } from "./compose";
import { parseScopes, scopeAllows, scopeName, type GrantedScopes } from "./scopes";
import {
  identifierCondition,
  identifierSearch,
  type ComposedEntry,
  type ComposedSet,
  type Identifier,
  type NotWrittenItem,
  type WriteChoices,
  type WriteContext,
} from "./types";

/**
 * What may be written, and how: from the server's CapabilityStatement (as read by
 * src/fhir/capabilities.ts) and the granted scopes. Pure. Every decision carries a sentence a
 * clinician can read; whatever is not written is folded into the note.
 *
 * Rules:
 * - A type is written only if a granted scope allows `create` on it (v2 `.c`, v1 `.write`) AND the
 *   CapabilityStatement lists `create` for it. Exception: when the CapabilityStatement could not be
 *   read, the note (Tier A) is still attempted (search-first), Tier B is not.
 * - Duplicates are prevented per type by `If-None-Exist` where the server declares conditional
 *   create; otherwise by a search on the identifier before the create, which needs the
 *   `search-type` interaction and a search scope (`.s` / `.read`). A type with neither is not
 *   written: a retry could duplicate it.
 * - One transaction when the server supports transactions and every written type supports
 *   conditional create (the transaction carries `ifNoneExist` on every entry); otherwise ordered
 *   single creates.
 * - Nothing writable at all: copy-only (the clinician copies the note into the chart).
 */

/** The shape `readCapabilities(client)` returns (src/fhir/capabilities.ts); only what we read. */
export interface WriteCapabilities {
  fhirVersion?: string | null;
  resources: Record<string, { interactions: string[]; conditionalCreate: boolean } | undefined>;
  transaction: boolean;
  batch?: boolean;
}

export type WriteMode = "transaction" | "single" | "copy-only";
export type Dedup = "if-none-exist" | "search-first";

export interface PlannedWrite {
  key: string;
  resourceType: ComposedEntry["resourceType"];
  tier: "A" | "B";
  description: string;
  identifier: Identifier;
  fullUrl: string;
  dedup: Dedup;
  /** May the app search this type by identifier (after a timeout, or before a create)? */
  canSearch: boolean;
  /** Relative search URL by identifier. */
  search: string;
  /** The `If-None-Exist` condition. */
  condition: string;
}

export interface PlannedSkip {
  key: string;
  resourceType: ComposedEntry["resourceType"];
  tier: "A" | "B";
  description: string;
  reason: string;
}

export interface WritePlan {
  mode: WriteMode;
  /** One or two sentences for the review dialog: how it will be sent. */
  summary: string;
  write: PlannedWrite[];
  skip: PlannedSkip[];
  findingId: string;
  identifierSystem: string;
  /** The note exactly as it will be written (or copied): not-written items folded in. */
  noteText: string;
  /** Whether the note itself will be written (else it is copy-only). */
  noteWritable: boolean;
  conditionOffer: { available: boolean; reason?: string };
  choices: WriteChoices;
}

/** What the executor knows mid-run (single creates). */
export interface RenderState {
  /** key -> "Type/id" of entries written (or found) in this run. */
  resolved: Record<string, string>;
  /** keys refused or not written in this run: references to them are dropped. */
  dropped: string[];
  /** Refusals so far, folded into the note. */
  refused: NotWrittenItem[];
}

export interface Submission {
  plan: WritePlan;
  /**
   * The resource for one planned entry, with references to entries written earlier resolved to
   * their server ids, references to refused entries dropped, refusals folded into the note.
   * Null when there is nothing left for it to say (a Provenance with no target).
   */
  render(key: string, state: RenderState): FhirResource | null;
  /** The transaction Bundle: urn:uuid fullUrls, POST with ifNoneExist on every entry. */
  transaction(): Bundle;
}

export interface PlanInput {
  assessment: Assessment;
  context: WriteContext;
  choices: WriteChoices;
  /** null when the CapabilityStatement could not be read. */
  capabilities: WriteCapabilities | null;
  /** The granted scopes: the token response's `scope` string, a list, or already parsed. */
  grantedScopes: string | readonly string[] | GrantedScopes | null | undefined;
}

const TYPE_LABELS: Record<ComposedEntry["resourceType"], string> = {
  DocumentReference: "notes (DocumentReference)",
  Condition: "conditions",
  DetectedIssue: "detected issues (DetectedIssue)",
  ServiceRequest: "order proposals (ServiceRequest)",
  Provenance: "provenance records",
};

interface TypeDecision {
  write: boolean;
  dedup?: Dedup;
  canSearch: boolean;
  reason?: string;
}

function decideType(
  type: ComposedEntry["resourceType"],
  tier: "A" | "B",
  capabilities: WriteCapabilities | null,
  scopes: GrantedScopes,
): TypeDecision {
  const create = scopeAllows(scopes, type, "c");
  const search = scopeAllows(scopes, type, "s").allowed;
  if (!create.allowed) {
    return {
      write: false,
      canSearch: search,
      reason: `the app was not granted permission to create ${TYPE_LABELS[type]} (no ${scopeName(type, "c")} scope)`,
    };
  }
  if (!capabilities) {
    if (tier === "B") {
      return {
        write: false,
        canSearch: search,
        reason: `the EHR's capability statement could not be read, so the app cannot tell whether it accepts ${TYPE_LABELS[type]}`,
      };
    }
    if (!search) {
      return {
        write: false,
        canSearch: false,
        reason: `the EHR's capability statement could not be read and the app may not search ${TYPE_LABELS[type]} (no ${scopeName(type, "s")} scope), so it cannot make sure a retry does not write a second copy`,
      };
    }
    return { write: true, dedup: "search-first", canSearch: true };
  }
  const resource = capabilities.resources[type];
  if (!resource || !resource.interactions.includes("create")) {
    return {
      write: false,
      canSearch: search,
      reason: `this EHR does not accept new ${TYPE_LABELS[type]} (its capability statement lists no create for ${type})`,
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
      ? `this EHR supports neither conditional create nor search for ${type}, so a retry could write a second copy`
      : `this EHR does not support conditional create for ${type} and the app may not search it (no ${scopeName(type, "s")} scope) to check for an earlier copy, so a retry could write a second copy`,
  };
}

function toScopes(input: PlanInput["grantedScopes"]): GrantedScopes {
  if (input && typeof input === "object" && !Array.isArray(input) && "grants" in (input as object)) {
    return input as GrantedScopes;
  }
  return parseScopes(input as string | readonly string[] | null | undefined);
}

/** Items folded into the note: Tier B clinical content (the Provenance is not clinical content). */
function foldable(skip: PlannedSkip): boolean {
  return skip.resourceType !== "Provenance" && skip.resourceType !== "DocumentReference";
}

export function sentence(reason: string): string {
  const text = reason.trim();
  return text ? text[0].toUpperCase() + text.slice(1).replace(/\.?$/, ".") : text;
}

export function planWriteBack(input: PlanInput): Submission {
  const { assessment, context, capabilities } = input;
  const scopes = toScopes(input.grantedScopes);
  const choices: WriteChoices = { includeCondition: !!input.choices.includeCondition };
  const full = compose(assessment, context, choices);

  const decisions = new Map<string, TypeDecision>();
  const decision = (entry: ComposedEntry) => {
    const id = `${entry.resourceType}:${entry.tier}`;
    if (!decisions.has(id)) decisions.set(id, decideType(entry.resourceType, entry.tier, capabilities, scopes));
    return decisions.get(id)!;
  };

  const write: PlannedWrite[] = [];
  const skip: PlannedSkip[] = [];
  for (const entry of full.entries) {
    const d = decision(entry);
    if (entry.kind === "provenance" && write.length === 0) {
      skip.push({ ...pick(entry), reason: "nothing else is written, so there is nothing to attest" });
      continue;
    }
    if (!d.write) {
      skip.push({ ...pick(entry), reason: d.reason ?? "not allowed" });
      continue;
    }
    write.push({
      ...pick(entry),
      identifier: entry.identifier,
      fullUrl: entry.fullUrl,
      dedup: d.dedup!,
      canSearch: d.canSearch,
      search: identifierSearch(entry),
      condition: identifierCondition(entry),
    });
  }

  const noteWritable = write.some((w) => w.key === "note");
  let mode: WriteMode;
  let summary: string;
  if (write.length === 0) {
    mode = "copy-only";
    const noteSkip = skip.find((s) => s.key === "note");
    summary =
      `Nothing can be written to this EHR: ${noteSkip ? noteSkip.reason : "no resource type is writable"}. ` +
      "Copy the note below and paste it into the chart.";
  } else if (capabilities?.transaction && write.every((w) => w.dedup === "if-none-exist")) {
    mode = "transaction";
    summary =
      "Sent as one transaction: the EHR saves all of it or none of it. Each resource is created only if the EHR " +
      "has none with the same identifier, so sending again never makes a copy.";
  } else {
    mode = "single";
    const why = !capabilities
      ? "The EHR's capability statement could not be read, so"
      : !capabilities.transaction
        ? "This EHR does not accept transactions, so"
        : "This EHR accepts transactions but not conditional create for every type, so";
    const searchFirst = write.filter((w) => w.dedup === "search-first").map((w) => w.resourceType);
    summary =
      `${why} the resources are sent one at a time, in order. ` +
      (searchFirst.length
        ? `Before creating ${[...new Set(searchFirst)].join(", ")}, the app searches for its identifier and skips it if it is already there; ` +
          "the others are created only if none with the same identifier exists."
        : "Each is created only if the EHR has none with the same identifier, so sending again never makes a copy.");
  }
  if (mode !== "copy-only" && !noteWritable) {
    const noteSkip = skip.find((s) => s.key === "note");
    summary += ` The note itself cannot be written${noteSkip ? ` (${noteSkip.reason})` : ""}: copy it into the chart.`;
  }

  const folds: NotWrittenItem[] = skip
    .filter(foldable)
    .map((s) => ({ key: s.key, description: s.description, reason: sentence(s.reason) }));
  const skippedKeys = skip.map((s) => s.key);
  const planned: ComposedSet = compose(assessment, context, choices, { omit: skippedKeys, notWritten: folds });

  const plan: WritePlan = {
    mode,
    summary,
    write,
    skip,
    findingId: full.findingId,
    identifierSystem: full.identifierSystem,
    noteText: planned.noteText,
    noteWritable,
    conditionOffer: full.conditionOffer,
    choices,
  };

  const render = (key: string, state: RenderState): FhirResource | null => {
    const dropped = new Set(state.dropped);
    const refusedFolds = state.refused.filter((r) => !folds.some((f) => f.key === r.key));
    const set = compose(assessment, context, choices, {
      omit: [...skippedKeys, ...dropped],
      notWritten: [...folds, ...refusedFolds],
      resolve: (k) => (dropped.has(k) ? null : (state.resolved[k] ?? null)),
    });
    const entry = set.entries.find((e) => e.key === key);
    if (!entry) return null;
    if (entry.resource.resourceType === "Provenance" && entry.resource.target.length === 0) return null;
    return entry.resource;
  };

  const transaction = (): Bundle => ({
    resourceType: "Bundle",
    type: "transaction",
    entry: planned.entries.map((entry) => ({
      fullUrl: entry.fullUrl,
      resource: entry.resource,
      request: { method: "POST", url: entry.resourceType, ifNoneExist: identifierCondition(entry) },
    })),
  });

  return { plan, render, transaction };
}

function pick(entry: ComposedEntry) {
  return { key: entry.key, resourceType: entry.resourceType, tier: entry.tier, description: entry.description };
}
