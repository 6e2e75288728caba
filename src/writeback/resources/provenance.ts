import type { Provenance } from "fhir/r4";
import { WRITEBACK_SYSTEM } from "../constants";
import { canonicalEvidence } from "../identifiers";
import type { Composition, EntryDraft, Ref } from "./shared";

/** Tier B: the Provenance over everything written in this set: the user (author) and the app (assembler). */
export function provenanceEntry(c: Composition, targets: readonly { key: string; ref: Ref }[]): EntryDraft {
  const { assessment, context } = c;
  const { id: rulesetId, version: rulesetVersion } = assessment.ruleset;
  const evidence = canonicalEvidence([
    ...assessment.findings.flatMap((f) => f.evidence),
    ...assessment.redFlags.flatMap((f) => f.evidence),
    ...assessment.secondaryCauses.flatMap((f) => f.evidence),
    ...assessment.lesions.flatMap((l) => l.evidence),
  ]);
  const identifier = c.identify("Provenance", "provenance", [c.findingId]);
  const participant = (code: string, display: string) => ({
    coding: [{ system: WRITEBACK_SYSTEM.provenanceParticipant, code, display }],
  });
  const provenance: Provenance = {
    resourceType: "Provenance",
    // R4 Provenance has no identifier element: the identifier is carried as a tag (searched with _tag).
    meta: { tag: [{ system: identifier.system, code: identifier.value, display: "Finding provenance" }] },
    contained: [
      {
        resourceType: "Device",
        id: "app",
        identifier: [{ system: context.appUrl, value: c.appName }],
        deviceName: [{ name: c.appName, type: "user-friendly-name" }],
        version: [{ value: context.appVersion }],
        url: context.appUrl,
        note: [{ text: `Ruleset ${rulesetId} ${rulesetVersion}` }],
      },
    ],
    target: targets.map((t) => t.ref),
    recorded: context.now,
    activity: { coding: [{ system: WRITEBACK_SYSTEM.dataOperation, code: "CREATE", display: "create" }] },
    agent: [
      ...(c.user ? [{ type: participant("author", "Author"), who: { reference: c.user.reference } }] : []),
      { type: participant("assembler", "Assembler"), who: { reference: "#app", display: `${c.appName} ${context.appVersion}` } },
    ],
    ...(evidence.length ? { entity: evidence.map((reference) => ({ role: "source" as const, what: { reference } })) } : {}),
  };
  return {
    key: "provenance",
    kind: "provenance",
    resourceType: "Provenance",
    identifier,
    tier: "B",
    description: `Provenance: written by ${c.appName} ${context.appVersion}${c.user ? ` for ${c.user.reference}` : ""}, covering the resources above`,
    ruleIds: [],
    references: targets.map((t) => t.key),
    resource: provenance,
  };
}
