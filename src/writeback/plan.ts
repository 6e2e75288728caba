import type { Bundle, FhirResource } from "fhir/r4";
import type { Assessment } from "../clinical/types";
import { compose } from "./compose";
import { structuredWithheldReason } from "./completeness";
import { decideType, readOnlyRegistration, type Dedup, type TypeDecision, type WriteCapabilities } from "./decide";
import { sentence } from "./labels";
import { planSummary } from "./planText";
import { parseScopes, type GrantedScopes } from "./scopes";
import {
  identifierCondition,
  identifierSearch,
  type ComposedEntry,
  type Identifier,
  type NotWrittenItem,
  type WriteChoices,
  type WriteContext,
} from "./types";

/**
 * What will be written, and how: from the CapabilityStatement and the granted scopes (decide.ts),
 * the completeness of the record, and the clinician's choices. Pure. Every decision carries a
 * sentence a clinician can read; whatever is not written is folded into the note.
 *
 * - Structured (Tier B) content is withheld while part of the record could not be loaded
 *   (completeness.ts): the note, which says what was missing, is the only clinical content sent.
 * - Each DetectedIssue and ServiceRequest may be deselected; the Condition is opt-in.
 * - One transaction when the server supports transactions and every written type supports
 *   conditional create (`ifNoneExist` on every entry); otherwise ordered single creates.
 * - Nothing writable at all: copy-only (the clinician copies the note into the chart).
 */

export type WriteMode = "transaction" | "single" | "copy-only";

/** Why an entry is not written: not allowed here, withheld (incomplete record), deselected, or a Provenance with nothing to attest. */
export type SkipCause = "not-allowed" | "withheld" | "deselected" | "nothing-to-attest";

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
  cause: SkipCause;
}

/** A Tier B entry the clinician may keep or deselect in the review. */
export interface SelectableItem {
  key: string;
  resourceType: ComposedEntry["resourceType"];
  description: string;
  selected: boolean;
}

export interface WritePlan {
  mode: WriteMode;
  /** One or two sentences for the review dialog: how it will be saved. */
  summary: string;
  write: PlannedWrite[];
  skip: PlannedSkip[];
  /** DetectedIssues and ServiceRequests that may be written, each with its checkbox state, in write order. */
  selectable: SelectableItem[];
  /** Why structured content is withheld as a whole (part of the record could not be loaded), or null. */
  structuredWithheld: string | null;
  /** Why the provisional diagnosis cannot be ticked, or null when it can. */
  conditionUnavailable: string | null;
  findingId: string;
  identifierSystem: string;
  /** The note exactly as it will be written (or copied): chosen and not-written items folded in. */
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

const DESELECTED = "deselected by the clinician";
const READ_ONLY = "the app was registered read-only, so it may not create anything in the chart";
const WITHHELD_IN_NOTE =
  "part of the record could not be loaded (see RECORD INCOMPLETE above); structured data is recorded only from a complete record";

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

export function planWriteBack(input: PlanInput): Submission {
  const { assessment, context, capabilities } = input;
  const scopes = toScopes(input.grantedScopes);
  const choices: WriteChoices = { includeCondition: !!input.choices.includeCondition, deselected: [...(input.choices.deselected ?? [])] };
  const full = compose(assessment, context, choices);
  const withheld = structuredWithheldReason(assessment);
  const decisions = new Map<string, TypeDecision>();
  const decide = (type: ComposedEntry["resourceType"], tier: "A" | "B") => {
    const id = `${type}:${tier}`;
    if (!decisions.has(id)) decisions.set(id, decideType(type, tier, capabilities, scopes));
    return decisions.get(id)!;
  };
  const { write, skip, selectable } = sortEntries(full.entries, decide, withheld, new Set(choices.deselected));

  const mode: WriteMode =
    write.length === 0
      ? "copy-only"
      : capabilities?.transaction && write.every((w) => w.dedup === "if-none-exist")
        ? "transaction"
        : "single";
  const readOnly = readOnlyRegistration(scopes);
  // In the note, one reason for a read-only registration (not one per type), and a pointer for a withheld one.
  const folds: NotWrittenItem[] = skip.filter(foldable).map((s) => ({
    key: s.key,
    description: s.description,
    reason: sentence(s.cause === "withheld" ? WITHHELD_IN_NOTE : readOnly && s.cause === "not-allowed" ? READ_ONLY : s.reason),
  }));
  const submission = submit({ assessment, context, choices }, skip, folds);

  const conditionDecision = decide("Condition", "B");
  const plan: WritePlan = {
    mode,
    summary: planSummary({ mode, write, skip, capabilities, readOnly: readOnly ? READ_ONLY : null }),
    write,
    skip,
    selectable,
    structuredWithheld: withheld ? sentence(withheld) : null,
    conditionUnavailable: !full.conditionOffer.available
      ? (full.conditionOffer.reason ?? "No diagnosis is proposed.")
      : withheld || !conditionDecision.write
        ? sentence(withheld ?? conditionDecision.reason ?? "not allowed")
        : null,
    findingId: full.findingId,
    identifierSystem: full.identifierSystem,
    noteText: submission.noteText,
    noteWritable: write.some((w) => w.key === "note"),
    conditionOffer: full.conditionOffer,
    choices,
  };
  return { plan, render: submission.render, transaction: submission.transaction };
}

/** The resources as sent: skipped entries left out, their content folded into the note; refusals folded in as they come. */
function submit(
  input: Pick<PlanInput, "assessment" | "context" | "choices">,
  skip: readonly PlannedSkip[],
  folds: readonly NotWrittenItem[],
): Pick<Submission, "render" | "transaction"> & { noteText: string } {
  const { assessment, context, choices } = input;
  const skippedKeys = skip.map((s) => s.key);
  const planned = compose(assessment, context, choices, { omit: skippedKeys, notWritten: folds });

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

  return { render, transaction, noteText: planned.noteText };
}

/** Each composed entry to write or skip (with its cause), and the Tier B items offered for (de)selection. */
function sortEntries(
  entries: readonly ComposedEntry[],
  decide: (type: ComposedEntry["resourceType"], tier: "A" | "B") => TypeDecision,
  withheld: string | null,
  deselected: ReadonlySet<string>,
): { write: PlannedWrite[]; skip: PlannedSkip[]; selectable: SelectableItem[] } {
  const write: PlannedWrite[] = [];
  const skip: PlannedSkip[] = [];
  const selectable: SelectableItem[] = [];
  const pick = (entry: ComposedEntry) => ({
    key: entry.key,
    resourceType: entry.resourceType,
    tier: entry.tier,
    description: entry.description,
  });
  for (const entry of entries) {
    const d = decide(entry.resourceType, entry.tier);
    const clinical = entry.tier === "B" && entry.kind !== "provenance";
    if (entry.kind === "provenance" && write.length === 0) {
      skip.push({ ...pick(entry), reason: "nothing else is written, so there is nothing to attest", cause: "nothing-to-attest" });
    } else if (!d.write) {
      skip.push({ ...pick(entry), reason: d.reason ?? "not allowed", cause: "not-allowed" });
    } else if (clinical && withheld) {
      skip.push({ ...pick(entry), reason: withheld, cause: "withheld" });
    } else {
      if (entry.kind === "issue" || entry.kind === "request") {
        selectable.push({
          key: entry.key,
          resourceType: entry.resourceType,
          description: entry.description,
          selected: !deselected.has(entry.key),
        });
      }
      if (clinical && deselected.has(entry.key)) {
        skip.push({ ...pick(entry), reason: DESELECTED, cause: "deselected" });
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
  }
  return { write, skip, selectable };
}
