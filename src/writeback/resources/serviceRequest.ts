import type { ServiceRequest } from "fhir/r4";
import { SYSTEM } from "../../clinical/codes";
import type { GapItem } from "../../clinical/types";
import { GAP_ORDERS } from "../gapOrders";
import { capitalize } from "../labels";
import type { IssueRef } from "./detectedIssue";
import { SPINE_SITE, bodySites, lesionsFor, shortHash, sitesText, type Composition, type EntryDraft } from "./shared";

/**
 * Tier B: one draft ServiceRequest (intent proposal) per workup gap with a coded order. Its reason
 * is the Condition when written, else the DetectedIssue that shares the gap's evidence, else the
 * main finding's issue (references point backwards only: those are built first).
 */
export function requestEntries(c: Composition, issues: readonly IssueRef[]): EntryDraft[] {
  const primaryIssue = issues.find(({ item }) => item.ruleId.startsWith("PC-"))?.key;
  const made = new Map<string, EntryDraft>();
  for (const gap of c.assessment.workupGaps) {
    const entry = requestEntry(c, gap, issues, primaryIssue);
    // The same proposal on the same evidence is already in the set.
    if (entry && !made.has(entry.key)) made.set(entry.key, entry);
  }
  return [...made.values()];
}

function requestEntry(c: Composition, gap: GapItem, issues: readonly IssueRef[], primaryIssue: string | undefined): EntryDraft | null {
  const { assessment, context } = c;
  const order = GAP_ORDERS[gap.ruleId];
  if (!order) return null;
  const gapLesions = order.kind === "procedure" ? lesionsFor(assessment, gap.evidence) : [];
  const spine = gap.ruleId === "G-SPINE";
  const site = spine ? null : sitesText(gapLesions);
  const qualifier = `${order.code.coding?.[0]?.code}|${gapLesions.map((l) => `${l.siteGroup}:${l.laterality ?? ""}`).join(",")}`;
  const identifier = c.identify("ServiceRequest", gap.ruleId, gap.evidence ?? [], qualifier);
  const sharing = issues.find(({ item }) => item.evidence.some((ref) => (gap.evidence ?? []).includes(ref)))?.key;
  const reason = [...new Set(["condition", sharing, primaryIssue])]
    .filter((key): key is string => !!key)
    .map((key) => ({ key, ref: c.refTo(key) }))
    .find((candidate) => candidate.ref !== null);
  const bodySite = spine ? [SPINE_SITE] : gapLesions.length ? bodySites(gapLesions) : undefined;
  const { id: rulesetId, version: rulesetVersion } = assessment.ruleset;
  const request: ServiceRequest = {
    resourceType: "ServiceRequest",
    identifier: [identifier],
    status: "draft",
    intent: "proposal",
    category: [{ coding: [{ system: SYSTEM.snomed, ...order.category }] }],
    code: order.code,
    subject: c.subject,
    ...(c.encounter ? { encounter: c.encounter } : {}),
    authoredOn: context.now,
    ...(c.user ? { requester: { reference: c.user.reference } } : {}),
    ...(bodySite ? { bodySite } : {}),
    reasonCode: [{ text: `[${gap.ruleId}] ${gap.text}` }],
    ...(reason?.ref ? { reasonReference: [reason.ref] } : {}),
    note: [
      {
        text:
          `Proposed by ${c.appName} (ruleset ${rulesetId} ${rulesetVersion}) as a workup gap: ${gap.text} ` +
          "Draft proposal only: not an order until a clinician places it.",
      },
    ],
  };
  return {
    key: `request:${gap.ruleId}:${shortHash(identifier.value)}`,
    kind: "request",
    resourceType: "ServiceRequest",
    identifier,
    tier: "B",
    description: `Proposed ${order.kind === "lab" ? "test" : "procedure"} (draft) [${gap.ruleId}]: ${capitalize(order.label(site))}`,
    ruleIds: [gap.ruleId],
    references: reason ? [reason.key] : [],
    resource: request,
  };
}
