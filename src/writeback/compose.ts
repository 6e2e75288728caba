import { WRITTEN_BY_APP_TAG } from "../clinical/codes";
import type { CodeableConcept, Condition, DetectedIssue, DocumentReference, Provenance, FhirResource, ServiceRequest } from "fhir/r4";
import type { Assessment, Lesion, RuleId, RuleItem } from "../clinical/types";
import { base64Utf8, canonicalEvidence, decodeBase64Utf8, findingKey, identifierSystem, ruleCodeSystem, uuidFromHash } from "./identifiers";
import { DEFAULT_APP_NAME, capitalize, siteText } from "./labels";
import { composeNote, NOTE_TITLE, userLabel } from "./note";
import type { ComposedEntry, ComposedSet, Identifier, NotWrittenItem, WriteChoices, WriteContext } from "./types";

/**
 * Assessment + launch context + the clinician's choices -> the resources to write. Pure and
 * synchronous: no network, no clock (the context carries `now`), no randomness (fullUrls and
 * identifiers are hashes), so the same input always yields the same set.
 *
 * Write order (references point backwards only): provisional Condition, DetectedIssues (findings,
 * red flags, secondary causes), ServiceRequests (workup gaps), the note, Provenance. The note comes
 * after the Tier B resources so that whatever the server refuses can still be folded into it.
 */

export const SNOMED = "http://snomed.info/sct";
export const LOINC = "http://loinc.org";

const CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
const DOC_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category";
const PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
const DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";

/** What a workup gap asks for: a LOINC test or a SNOMED imaging/biopsy procedure. */
interface GapOrder {
  code: CodeableConcept;
  /** "lab" orders have no body site; "procedure" orders take the lesion's site. */
  kind: "lab" | "procedure";
  /** ServiceRequest.category (SNOMED, from the FHIR servicerequest-category example set). */
  category: { code: string; display: string };
  /** One-line description of the order ("CT of the left shoulder/elbow"). */
  label: (site: string | null) => string;
}

const lab = (code: string, display: string, text: string): GapOrder => ({
  code: { coding: [{ system: LOINC, code, display }], text },
  kind: "lab",
  category: { code: "108252007", display: "Laboratory procedure" },
  label: () => text,
});

const IMAGING = { code: "363679005", display: "Imaging" };
const SURGICAL = { code: "387713003", display: "Surgical procedure" };

const procedure = (code: string, display: string, name: string, category = IMAGING): GapOrder => ({
  code: { coding: [{ system: SNOMED, code, display }], text: name },
  kind: "procedure",
  category,
  label: (site) => (site ? `${name} of the ${site}` : name),
});

/** Codes per gap rule (clinical-spec.md §3 "Workup gaps"; LOINC codes from §4). */
export const GAP_ORDERS: Partial<Record<RuleId, GapOrder>> = {
  "G-CA": lab("17861-6", "Calcium [Mass/volume] in Serum or Plasma", "Serum calcium"),
  "G-PHOS": lab("2777-1", "Phosphate [Mass/volume] in Serum or Plasma", "Serum phosphate"),
  "G-PTH": lab("2731-8", "Parathyrin.intact [Mass/volume] in Serum or Plasma", "Intact PTH"),
  "G-VITD": lab("62292-8", "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma", "25-hydroxyvitamin D"),
  "G-RENAL": lab("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "Serum creatinine (with eGFR)"),
  "G-ALB": lab("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "Serum albumin (for corrected calcium)"),
  "G-AB": lab("8061-4", "Nuclear Ab [Presence] in Serum", "Antinuclear antibodies with SSc-specific antibodies"),
  "G-IMG-SITE": procedure("363680008", "Radiographic imaging procedure", "X-ray"),
  "G-CT": procedure("77477000", "Computerized axial tomography", "CT"),
  "G-SPINE": procedure("77477000", "Computerized axial tomography", "CT (or MRI) of the spine, targeted review"),
  "G-NEO": procedure("86273004", "Biopsy", "Biopsy to exclude a neoplasm", SURGICAL),
  "G-SCREEN": procedure("363680008", "Radiographic imaging procedure", "Screening X-ray for calcinosis"),
};

/** SNOMED body structures where one code names the site group without guessing (spec §4). */
const SITE_CODES: Partial<Record<Lesion["siteGroup"], { code: string; display: string }>> = {
  spine: { code: "421060004", display: "Structure of vertebral column" },
};

export interface ComposeOptions {
  /** Entries not to write: left out, and references to them dropped. */
  omit?: readonly string[];
  /** Not-written items for the note's "not recorded as structured data" section. */
  notWritten?: readonly NotWrittenItem[];
  /**
   * The reference to use for an entry written earlier in this run ("DetectedIssue/123"); entries
   * absent here are referenced by their urn:uuid fullUrl (transaction), or dropped when `null`.
   */
  resolve?: (key: string) => string | null | undefined;
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

/** The identity of the whole assessment: patient, ruleset, status and every rule with its evidence. */
export function findingIdOf(assessment: Assessment): string {
  const items: string[] = [];
  const add = (prefix: string, evidence: readonly string[] | undefined) => {
    const refs = canonicalEvidence(evidence);
    if (refs.length === 0) items.push(`${prefix}|`);
    for (const ref of refs) items.push(`${prefix}|${ref}`);
  };
  for (const item of assessment.findings) add(item.ruleId, item.evidence);
  for (const item of assessment.redFlags) add(item.ruleId, item.evidence);
  for (const item of assessment.secondaryCauses) add(item.ruleId, item.evidence);
  for (const item of assessment.workupGaps) add(item.ruleId, item.evidence);
  for (const lesion of assessment.lesions) add(`lesion:${lesion.siteGroup}:${lesion.laterality ?? ""}`, lesion.evidence);
  return findingKey({
    kind: "finding",
    patientId: assessment.patient.id,
    rule: assessment.status,
    rulesetId: assessment.ruleset.id,
    rulesetVersion: assessment.ruleset.version,
    evidence: items,
  });
}

/** The Condition is offered only where it adds something: PC suspected and not already coded. */
export function conditionOffer(assessment: Assessment): { available: boolean; reason?: string } {
  if (assessment.status === "not-applicable" || assessment.status === "no-evidence") {
    return { available: false, reason: "No calcinosis is suspected, so there is no diagnosis to propose." };
  }
  const coded = assessment.findings.some((f) => f.ruleId === "PC-DOC" && f.evidence.some((ref) => ref.startsWith("Condition/")));
  if (coded) {
    return { available: false, reason: "Tumoral calcinosis is already on the record as a condition." };
  }
  return { available: true };
}

function shortHash(hex: string): string {
  return hex.slice(0, 8);
}

function lesionsFor(assessment: Assessment, evidence: readonly string[] | undefined): Lesion[] {
  const refs = new Set(evidence ?? []);
  return assessment.lesions.filter((lesion) => lesion.evidence.some((ref) => refs.has(ref)));
}

/** "left shoulder/elbow and right hip/pelvis" (unique, in assessment order). */
function sitesText(lesions: readonly Lesion[]): string | null {
  const sites = [...new Set(lesions.map((l) => siteText(l)))];
  if (sites.length === 0) return null;
  return sites.length === 1 ? sites[0] : `${sites.slice(0, -1).join(", ")} and ${sites[sites.length - 1]}`;
}

function bodySites(lesions: readonly Lesion[]): CodeableConcept[] {
  const seen = new Set<string>();
  const out: CodeableConcept[] = [];
  for (const lesion of lesions) {
    const text = siteText(lesion);
    if (seen.has(text)) continue;
    seen.add(text);
    const code = SITE_CODES[lesion.siteGroup];
    out.push(code ? { coding: [{ system: SNOMED, ...code }], text } : { text });
  }
  return out;
}

type Ref = { reference: string };

function refs(list: readonly string[]): Ref[] {
  return canonicalEvidence(list).map((reference) => ({ reference }));
}

export function compose(assessment: Assessment, context: WriteContext, choices: WriteChoices, options: ComposeOptions = {}): ComposedSet {
  if (assessment.patient.id !== context.patientId) {
    throw new Error("The assessment is for another patient than the one in the launch context; nothing is composed.");
  }
  const patientId = context.patientId;
  const system = identifierSystem(context.appUrl);
  const codeSystem = ruleCodeSystem(context.appUrl);
  const omit = new Set(options.omit ?? []);
  const { id: rulesetId, version: rulesetVersion } = assessment.ruleset;
  const appName = context.appName ?? DEFAULT_APP_NAME;
  // Plain `{ reference }` literals (not `Reference`): they fit every typed reference element.
  const subject = { reference: `Patient/${patientId}` };
  const encounter = context.encounterId ? { reference: `Encounter/${context.encounterId}` } : undefined;
  const user = userReference(context.fhirUser);
  const findingId = findingIdOf(assessment);
  const offer = conditionOffer(assessment);

  const all: ComposedEntry[] = [];
  const byKey = new Map<string, ComposedEntry>();

  const identify = (kind: string, rule: string, evidence: readonly string[], qualifier?: string): Identifier => ({
    system,
    value: findingKey({ kind, patientId, rule, rulesetId, rulesetVersion, evidence, qualifier }),
  });

  /** The reference to another entry, or null when that entry is not written. */
  const refTo = (key: string): Ref | null => {
    const target = byKey.get(key);
    if (!target || omit.has(key)) return null;
    const resolved = options.resolve ? options.resolve(key) : undefined;
    if (resolved === null) return null;
    return { reference: resolved ?? target.fullUrl };
  };

  const add = (entry: Omit<ComposedEntry, "fullUrl">) => {
    // Every written resource carries the app's tag, so a later assessment does not cite the app's
    // own output as evidence (see WRITTEN_BY_APP_TAG).
    const resource = entry.resource as { meta?: { tag?: unknown[] } };
    resource.meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), { ...WRITTEN_BY_APP_TAG }] };
    const full: ComposedEntry = { ...entry, fullUrl: `urn:uuid:${uuidFromHash(entry.identifier.value)}` };
    all.push(full);
    byKey.set(full.key, full);
  };

  // --- Tier B: provisional Condition (only when ticked and offered) -------------------------------
  if (choices.includeCondition && offer.available) {
    const pcFindings = assessment.findings.filter((f) => f.ruleId.startsWith("PC-"));
    const evidence = [...pcFindings.flatMap((f) => f.evidence), ...assessment.lesions.flatMap((l) => l.evidence)];
    const sites = sitesText(assessment.lesions);
    const identifier = identify("Condition", "PC", evidence);
    const condition: Condition = {
      resourceType: "Condition",
      identifier: [identifier],
      clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: "active", display: "Active" }] },
      verificationStatus: { coding: [{ system: CONDITION_VER, code: "provisional", display: "Provisional" }] },
      category: [{ coding: [{ system: CONDITION_CATEGORY, code: "problem-list-item", display: "Problem List Item" }] }],
      code: {
        coding: [{ system: SNOMED, code: "61778004", display: "Tumoral calcinosis" }],
        text: "Pseudotumoral (tumoral) calcinosis in systemic sclerosis, provisional",
      },
      ...(assessment.lesions.length ? { bodySite: bodySites(assessment.lesions) } : {}),
      subject,
      ...(encounter ? { encounter } : {}),
      recordedDate: context.now,
      ...(user ? { recorder: { reference: user.reference }, asserter: { reference: user.reference } } : {}),
      ...(evidence.length ? { evidence: [{ detail: refs(evidence) }] } : {}),
      note: [
        {
          text:
            `Provisional diagnosis proposed by ${appName} (ruleset ${rulesetId} ${rulesetVersion}, finding ${findingId}) ` +
            `and accepted for the record by the clinician: ${assessment.findings.map((f) => `[${f.ruleId}] ${f.text}`).join(" ")}`.trim() +
            " To be confirmed.",
        },
      ],
    };
    add({
      key: "condition",
      kind: "condition",
      resourceType: "Condition",
      identifier,
      tier: "B",
      description: `Provisional diagnosis: tumoral calcinosis${sites ? ` (${sites})` : ""}`,
      ruleIds: pcFindings.map((f) => f.ruleId),
      references: [],
      resource: condition,
    });
  }

  // --- Tier B: one DetectedIssue per finding, red flag and secondary-cause flag -------------------
  const issueKeys: { key: string; item: RuleItem }[] = [];
  const groups: { items: RuleItem[]; severity: DetectedIssue["severity"]; label: string }[] = [
    { items: assessment.findings, severity: "moderate", label: "Finding" },
    { items: assessment.redFlags, severity: "high", label: "Red flag" },
    { items: assessment.secondaryCauses, severity: "moderate", label: "Secondary cause to review" },
  ];
  // Not applicable (no SSc): the engine did not assess this patient; only the note says so.
  const applicable = assessment.status !== "not-applicable";
  for (const { items, severity, label } of applicable ? groups : []) {
    for (const item of items) {
      const identifier = identify("DetectedIssue", item.ruleId, item.evidence);
      const key = `issue:${item.ruleId}:${shortHash(identifier.value)}`;
      const same = byKey.get(key);
      if (same) {
        // Same rule on the same evidence is the same finding (same identifier): one resource, both texts.
        const existing = same.resource as DetectedIssue;
        existing.detail = `${existing.detail} Also: ${item.text}`;
        continue;
      }
      const issue: DetectedIssue = {
        resourceType: "DetectedIssue",
        identifier: [identifier],
        status: "preliminary",
        code: { coding: [{ system: codeSystem, code: item.ruleId, display: label }], text: `${label}: ${item.text}` },
        severity,
        patient: subject,
        identifiedDateTime: context.now,
        ...(item.evidence.length ? { evidence: [{ detail: refs(item.evidence) }] } : {}),
        detail:
          `[${item.ruleId}] ${item.text}${item.detail ? ` ${item.detail}` : ""} ` +
          `(Detected by ${appName} ${context.appVersion}, ruleset ${rulesetId} ${rulesetVersion}; decision support, to be confirmed.)`,
      };
      add({
        key,
        kind: "issue",
        resourceType: "DetectedIssue",
        identifier,
        tier: "B",
        description: `${label} [${item.ruleId}]: ${item.text}`,
        ruleIds: [item.ruleId],
        references: [],
        resource: issue,
      });
      issueKeys.push({ key, item });
    }
  }

  // --- Tier B: one draft ServiceRequest (proposal) per workup gap ---------------------------------
  const primaryIssue = issueKeys.find(({ item }) => item.ruleId.startsWith("PC-"))?.key;
  for (const gap of applicable ? assessment.workupGaps : []) {
    const order = GAP_ORDERS[gap.ruleId];
    if (!order) continue;
    const gapLesions = order.kind === "procedure" ? lesionsFor(assessment, gap.evidence) : [];
    const spine = gap.ruleId === "G-SPINE";
    const site = spine ? null : sitesText(gapLesions);
    const qualifier = `${order.code.coding?.[0]?.code}|${gapLesions.map((l) => `${l.siteGroup}:${l.laterality ?? ""}`).join(",")}`;
    const identifier = identify("ServiceRequest", gap.ruleId, gap.evidence ?? [], qualifier);
    const key = `request:${gap.ruleId}:${shortHash(identifier.value)}`;
    if (byKey.has(key)) continue; // the same proposal on the same evidence is already in the set
    // The reason: the Condition when written, else the issue that shares evidence, else the main finding.
    const reasonKeys = [
      byKey.has("condition") ? "condition" : undefined,
      issueKeys.find(({ item }) => item.evidence.some((ref) => (gap.evidence ?? []).includes(ref)))?.key,
      primaryIssue,
    ].filter((k): k is string => !!k);
    const reasonRefs = [...new Set(reasonKeys)].map((k) => ({ key: k, ref: refTo(k) })).filter((r) => r.ref);
    const reason = reasonRefs[0];
    const bodySite = spine
      ? [{ coding: [{ system: SNOMED, ...SITE_CODES.spine! }], text: "spine" }]
      : gapLesions.length
        ? bodySites(gapLesions)
        : undefined;
    const request: ServiceRequest = {
      resourceType: "ServiceRequest",
      identifier: [identifier],
      status: "draft",
      intent: "proposal",
      category: [{ coding: [{ system: SNOMED, ...order.category }] }],
      code: order.code,
      subject,
      ...(encounter ? { encounter } : {}),
      authoredOn: context.now,
      ...(user ? { requester: { reference: user.reference } } : {}),
      ...(bodySite ? { bodySite } : {}),
      reasonCode: [{ text: `[${gap.ruleId}] ${gap.text}` }],
      ...(reason ? { reasonReference: [reason.ref as Ref] } : {}),
      note: [
        {
          text:
            `Proposed by ${appName} (ruleset ${rulesetId} ${rulesetVersion}) as a workup gap: ${gap.text} ` +
            "Draft proposal only: not an order until a clinician places it.",
        },
      ],
    };
    add({
      key,
      kind: "request",
      resourceType: "ServiceRequest",
      identifier,
      tier: "B",
      description: `Proposed ${order.kind === "lab" ? "test" : "procedure"} (draft) [${gap.ruleId}]: ${capitalize(order.label(site))}`,
      ruleIds: [gap.ruleId],
      references: reason ? [reason.key] : [],
      resource: request,
    });
  }

  // --- Tier A: the note --------------------------------------------------------------------------
  const noteText = composeNote({ assessment, context, findingId, notWritten: [...(options.notWritten ?? [])] });
  const noteIdentifier = identify("DocumentReference", "note", [findingId]);
  const note: DocumentReference = {
    resourceType: "DocumentReference",
    identifier: [noteIdentifier],
    status: "current",
    docStatus: "preliminary",
    type: { coding: [{ system: LOINC, code: "11488-4", display: "Consult note" }], text: "Consult note" },
    category: [{ coding: [{ system: DOC_CATEGORY, code: "clinical-note", display: "Clinical Note" }] }],
    subject,
    date: context.now,
    ...(user ? { author: [{ reference: user.reference }] } : {}),
    description: NOTE_TITLE,
    content: [
      {
        attachment: {
          contentType: "text/plain; charset=utf-8",
          language: "en",
          data: base64Utf8(noteText),
          title: NOTE_TITLE,
          creation: context.now,
        },
      },
    ],
    ...(encounter ? { context: { encounter: [encounter] } } : {}),
  };
  add({
    key: "note",
    kind: "note",
    resourceType: "DocumentReference",
    identifier: noteIdentifier,
    tier: "A",
    description: "Consult note (preliminary): status, lesions, red flags, secondary causes, gaps, ruleset and finding id",
    ruleIds: [],
    references: [],
    resource: note,
  });

  // --- Tier B: Provenance over everything written in this set ------------------------------------
  const targets = all
    .filter((entry) => !omit.has(entry.key))
    .map((entry) => ({ key: entry.key, ref: refTo(entry.key) }))
    .filter((t): t is { key: string; ref: Ref } => t.ref !== null);
  const evidence = canonicalEvidence([
    ...assessment.findings.flatMap((f) => f.evidence),
    ...assessment.redFlags.flatMap((f) => f.evidence),
    ...assessment.secondaryCauses.flatMap((f) => f.evidence),
    ...assessment.lesions.flatMap((l) => l.evidence),
  ]);
  const provenanceIdentifier = identify("Provenance", "provenance", [findingId]);
  const provenance: Provenance = {
    resourceType: "Provenance",
    meta: { tag: [{ system: provenanceIdentifier.system, code: provenanceIdentifier.value, display: "Finding provenance" }] },
    contained: [
      {
        resourceType: "Device",
        id: "app",
        identifier: [{ system: context.appUrl, value: appName }],
        deviceName: [{ name: appName, type: "user-friendly-name" }],
        version: [{ value: context.appVersion }],
        url: context.appUrl,
        note: [{ text: `Ruleset ${rulesetId} ${rulesetVersion}` }],
      },
    ],
    target: targets.map((t) => t.ref),
    recorded: context.now,
    activity: { coding: [{ system: DATA_OPERATION, code: "CREATE", display: "create" }] },
    agent: [
      ...(user
        ? [
            {
              type: { coding: [{ system: PARTICIPANT_TYPE, code: "author", display: "Author" }] },
              who: { reference: user.reference },
            },
          ]
        : []),
      {
        type: { coding: [{ system: PARTICIPANT_TYPE, code: "assembler", display: "Assembler" }] },
        who: { reference: "#app", display: `${appName} ${context.appVersion}` },
      },
    ],
    ...(evidence.length ? { entity: evidence.map((reference) => ({ role: "source" as const, what: { reference } })) } : {}),
  };
  add({
    key: "provenance",
    kind: "provenance",
    resourceType: "Provenance",
    identifier: provenanceIdentifier,
    tier: "B",
    description: `Provenance: written by ${appName} ${context.appVersion}${user ? ` for ${user.reference}` : ""}, covering the resources above`,
    ruleIds: [],
    references: targets.map((t) => t.key),
    resource: provenance,
  });

  return {
    findingId,
    identifierSystem: system,
    entries: all.filter((entry) => !omit.has(entry.key)),
    conditionOffer: offer,
    noteText,
  };
}

/** The note text carried by a composed DocumentReference (for previews and tests). */
export function noteTextOf(resource: FhirResource): string | null {
  if (resource.resourceType !== "DocumentReference") return null;
  const data = resource.content?.[0]?.attachment?.data;
  return data ? decodeBase64Utf8(data) : null;
}
