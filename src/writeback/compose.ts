import { WRITTEN_BY_APP_TAG } from "../clinical/codes";
import type { Assessment } from "../clinical/types";
import { conditionOffer, findingIdOf } from "./finding";
import { findingKey, identifierSystem, ruleCodeSystem, uuidFromHash } from "./identifiers";
import { DEFAULT_APP_NAME } from "./labels";
import { composeNote } from "./note";
import { conditionEntry } from "./resources/condition";
import { issueEntries } from "./resources/detectedIssue";
import { noteEntry } from "./resources/documentReference";
import { provenanceEntry } from "./resources/provenance";
import { requestEntries } from "./resources/serviceRequest";
import { userReference, type Composition, type EntryDraft, type Ref } from "./resources/shared";
import type { ComposedEntry, ComposedSet, NotWrittenItem, WriteChoices, WriteContext } from "./types";

/**
 * Assessment + launch context + the clinician's choices -> the resources to write. Pure and
 * synchronous: no network, no clock (the context carries `now`), no randomness (fullUrls and
 * identifiers are hashes), so the same input always yields the same set. One builder per resource
 * type (./resources); this module orders them and links them.
 *
 * Write order (references point backwards only): provisional Condition, DetectedIssues (findings,
 * red flags, secondary causes), ServiceRequests (workup gaps), the note, Provenance. The note comes
 * after the Tier B resources so that whatever the server refuses can still be folded into it.
 */

export interface ComposeOptions {
  /** Entries not to write (not allowed, deselected, refused): left out, and references to them dropped. */
  omit?: readonly string[];
  /** Not-written items for the note's "not recorded as structured data" section. */
  notWritten?: readonly NotWrittenItem[];
  /**
   * The reference to use for an entry written earlier in this run ("DetectedIssue/123"); entries
   * absent here are referenced by their urn:uuid fullUrl (transaction), or dropped when `null`.
   */
  resolve?: (key: string) => string | null | undefined;
}

export function compose(assessment: Assessment, context: WriteContext, choices: WriteChoices, options: ComposeOptions = {}): ComposedSet {
  if (assessment.patient.id !== context.patientId) {
    throw new Error("The assessment is for another patient than the one in the launch context; nothing is composed.");
  }
  const omit = new Set(options.omit ?? []);
  const all: ComposedEntry[] = [];
  const byKey = new Map<string, ComposedEntry>();
  const c = composition(assessment, context, (key) => {
    const target = byKey.get(key);
    if (!target || omit.has(key)) return null;
    const resolved = options.resolve ? options.resolve(key) : undefined;
    if (resolved === null) return null;
    return { reference: resolved ?? target.fullUrl };
  });

  const add = (entry: EntryDraft) => {
    // Every written resource carries the app's tag, so a later assessment does not cite the app's
    // own output as evidence (see WRITTEN_BY_APP_TAG).
    const resource = entry.resource as { meta?: { tag?: unknown[] } };
    resource.meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), { ...WRITTEN_BY_APP_TAG }] };
    const full: ComposedEntry = { ...entry, fullUrl: `urn:uuid:${uuidFromHash(entry.identifier.value)}` };
    all.push(full);
    byKey.set(full.key, full);
  };

  const offer = conditionOffer(assessment);
  if (choices.includeCondition && offer.available) add(conditionEntry(c));
  // Not applicable (no SSc): the engine did not assess this patient; only the note says so.
  if (assessment.status !== "not-applicable") {
    const { entries, issues } = issueEntries(c);
    entries.forEach(add);
    requestEntries(c, issues).forEach(add);
  }

  const recorded = all.filter((entry) => !omit.has(entry.key)).map((entry) => entry.description);
  const noteText = composeNote({ assessment, context, findingId: c.findingId, recorded, notWritten: options.notWritten ?? [] });
  add(noteEntry(c, noteText));

  const targets = all
    .filter((entry) => !omit.has(entry.key))
    .map((entry) => ({ key: entry.key, ref: c.refTo(entry.key) }))
    .filter((t): t is { key: string; ref: Ref } => t.ref !== null);
  add(provenanceEntry(c, targets));

  return {
    findingId: c.findingId,
    identifierSystem: c.system,
    entries: all.filter((entry) => !omit.has(entry.key)),
    conditionOffer: offer,
    noteText,
  };
}

function composition(assessment: Assessment, context: WriteContext, refTo: Composition["refTo"]): Composition {
  const patientId = context.patientId;
  const system = identifierSystem(context.appUrl);
  const { id: rulesetId, version: rulesetVersion } = assessment.ruleset;
  return {
    assessment,
    context,
    system,
    codeSystem: ruleCodeSystem(context.appUrl),
    appName: context.appName ?? DEFAULT_APP_NAME,
    findingId: findingIdOf(assessment),
    subject: { reference: `Patient/${patientId}` },
    ...(context.encounterId ? { encounter: { reference: `Encounter/${context.encounterId}` } } : {}),
    user: userReference(context.fhirUser),
    identify: (kind, rule, evidence, qualifier) => ({
      system,
      value: findingKey({ kind, patientId, rule, rulesetId, rulesetVersion, evidence, qualifier }),
    }),
    refTo,
  };
}
