import type { CodeableConcept } from "fhir/r4";
import { SYSTEM } from "../../clinical/codes";
import type { Assessment, Lesion } from "../../clinical/types";
import { WRITTEN_CODES } from "../constants";
import { canonicalEvidence } from "../identifiers";
import { userLabel } from "../labels";
import { lesionName } from "../lesionText";
import type { ComposedEntry, Identifier, WriteContext } from "../types";

/** Plain `{ reference }` literals (not `Reference`): they fit every typed reference element. */
export type Ref = { reference: string };

/** An entry before its fullUrl is derived from its identifier. */
export type EntryDraft = Omit<ComposedEntry, "fullUrl">;

/** What every resource builder reads: the assessment, the launch context and the set built so far. */
export interface Composition {
  assessment: Assessment;
  context: WriteContext;
  /** Identifier system (`<appUrl>/fhir/finding`) and the rule code system under the app URL. */
  system: string;
  codeSystem: string;
  appName: string;
  findingId: string;
  subject: Ref;
  encounter?: Ref;
  user: UserRef | null;
  identify(kind: string, rule: string, evidence: readonly string[], qualifier?: string): Identifier;
  /** The reference to an entry built earlier, or null when that entry is not written. */
  refTo(key: string): Ref | null;
}

export interface UserRef {
  resourceType: string;
  reference: string;
}

/** The user as a relative reference, from `fhirUser` ("Practitioner/1" or an absolute URL). */
export function userReference(fhirUser: string | null | undefined): UserRef | null {
  const label = userLabel(fhirUser);
  if (!label || !label.includes("/")) return null;
  const [resourceType] = label.split("/");
  // The types every target element accepts (DocumentReference.author, Provenance.agent.who,
  // Condition.recorder, ServiceRequest.requester); a `Person` user is named in the note only.
  if (!["Practitioner", "PractitionerRole", "Patient", "RelatedPerson"].includes(resourceType)) return null;
  return { resourceType, reference: label };
}

export function refs(list: readonly string[]): Ref[] {
  return canonicalEvidence(list).map((reference) => ({ reference }));
}

export function shortHash(hex: string): string {
  return hex.slice(0, 8);
}

/** The lesions that share evidence with an item. */
export function lesionsFor(assessment: Assessment, evidence: readonly string[] | undefined): Lesion[] {
  const refs = new Set(evidence ?? []);
  return assessment.lesions.filter((lesion) => lesion.evidence.some((ref) => refs.has(ref)));
}

/** "left shoulder/elbow and right hip/pelvis" (unique, in assessment order). */
export function sitesText(lesions: readonly Lesion[]): string | null {
  const sites = [...new Set(lesions.map(lesionName))];
  if (sites.length === 0) return null;
  return sites.length === 1 ? sites[0] : `${sites.slice(0, -1).join(", ")} and ${sites[sites.length - 1]}`;
}

/** SNOMED body structures where one code names the site group without guessing (spec §4). */
export const SPINE_SITE: CodeableConcept = { coding: [{ system: SYSTEM.snomed, ...WRITTEN_CODES.vertebralColumn }], text: "spine" };

/** One body site per distinct lesion name; the spine coded, other sites as text. */
export function bodySites(lesions: readonly Lesion[]): CodeableConcept[] {
  const seen = new Set<string>();
  const out: CodeableConcept[] = [];
  for (const lesion of lesions) {
    const text = lesionName(lesion);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(lesion.siteGroup === "spine" ? { coding: SPINE_SITE.coding, text } : { text });
  }
  return out;
}
