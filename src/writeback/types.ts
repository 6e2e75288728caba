import type { FhirResource } from "fhir/r4";
import type { RuleId } from "../clinical/types";

/** The launch context the write-back needs; everything else comes from the Assessment. */
export interface WriteContext {
  /** The patient in the token response; must equal assessment.patient.id. */
  patientId: string;
  /** `fhirUser` from the id token ("Practitioner/123" or an absolute URL), when known. */
  fhirUser?: string | null;
  /** The launch encounter, when one exists. */
  encounterId?: string | null;
  /** The app's own public URL: identifier systems live under it. */
  appUrl: string;
  appVersion: string;
  /** Display name of the app (defaults to "Calcinosis decision support"). */
  appName?: string;
  /** ISO instant used for dates in the written resources (never for identifiers). */
  now: string;
}

/** What the clinician decides in the review dialog. */
export interface WriteChoices {
  /** Write a provisional Condition (off by default). */
  includeCondition: boolean;
  /** Keys of Tier B entries the clinician deselected (every other one is written); none by default. */
  deselected?: readonly string[];
}

export const DEFAULT_CHOICES: WriteChoices = { includeCondition: false, deselected: [] };

export type EntryKind = "note" | "condition" | "issue" | "request" | "provenance";

export interface Identifier {
  system: string;
  value: string;
}

export interface ComposedEntry {
  /** Stable key within the set ("note", "condition", "issue:PC-SIZE:1a2b3c4d", …). */
  key: string;
  kind: EntryKind;
  resourceType: "DocumentReference" | "Condition" | "DetectedIssue" | "ServiceRequest" | "Provenance";
  /** `urn:uuid:…`, deterministic (derived from the identifier). */
  fullUrl: string;
  /**
   * The deterministic identifier. For Provenance (which has no `identifier` element in R4) it is
   * carried as a `meta.tag` with the same system and value, and searched with `_tag`.
   */
  identifier: Identifier;
  /** Tier A (always offered) or B (where allowed). */
  tier: "A" | "B";
  /** One line a clinician understands: what this resource says. */
  description: string;
  /** Rule ids the entry states. */
  ruleIds: RuleId[];
  /** Keys of other entries this one references (they are written first). */
  references: string[];
  resource: FhirResource;
}

export interface ComposedSet {
  /** Hash of the whole assessment's findings (patient, ruleset, status, rules, evidence). */
  findingId: string;
  identifierSystem: string;
  /** In write order: Condition, DetectedIssues, ServiceRequests, the note, Provenance. */
  entries: ComposedEntry[];
  /** Whether the provisional Condition may be offered, and why not. */
  conditionOffer: { available: boolean; reason?: string };
  /** The note text as composed (with the not-written section when given). */
  noteText: string;
}

/** Something that is not recorded as structured data; the note says it instead. */
export interface NotWrittenItem {
  key: string;
  description: string;
  reason: string;
}

/**
 * A token search value `system|value`, percent-encoded whole (`|`, `:` and `/` included): a proxy
 * that normalises `//` in URLs (the SMART launcher's does) would otherwise search for another
 * identifier than the one written, and a retry could then write a copy. Servers decode before
 * splitting on `|`.
 */
export function tokenParam(identifier: Identifier): string {
  return encodeURIComponent(`${identifier.system}|${identifier.value}`);
}

/** The search condition that finds an entry by its deterministic identifier (`If-None-Exist`). */
export function identifierCondition(entry: Pick<ComposedEntry, "resourceType" | "identifier">): string {
  return entry.resourceType === "Provenance" ? `_tag=${tokenParam(entry.identifier)}` : `identifier=${tokenParam(entry.identifier)}`;
}

/** Search URL (relative to the FHIR base) that finds an entry by its deterministic identifier. */
export function identifierSearch(entry: Pick<ComposedEntry, "resourceType" | "identifier">): string {
  return `${entry.resourceType}?${identifierCondition(entry)}`;
}
