import type { DetectedIssue } from "fhir/r4";
import type { RuleItem } from "../../clinical/types";
import { lesionOf, lesionText } from "../lesionText";
import { refs, shortHash, type Composition, type EntryDraft } from "./shared";

export interface IssueRef {
  key: string;
  item: RuleItem;
}

/**
 * Tier B: one DetectedIssue per finding, red flag and secondary-cause flag, per lesion where the
 * item names one. The same rule on the same evidence (and lesion) is the same finding, with the same
 * identifier: one resource carrying both texts.
 */
export function issueEntries(c: Composition): { entries: EntryDraft[]; issues: IssueRef[] } {
  const { assessment, context } = c;
  const groups: { items: RuleItem[]; severity: DetectedIssue["severity"]; label: string }[] = [
    { items: assessment.findings, severity: "moderate", label: "Finding" },
    { items: assessment.redFlags, severity: "high", label: "Red flag" },
    { items: assessment.secondaryCauses, severity: "moderate", label: "Secondary cause to review" },
  ];
  const made = new Map<string, EntryDraft>();
  const issues: IssueRef[] = [];
  const provenance = `(Detected by ${c.appName} ${context.appVersion}, ruleset ${assessment.ruleset.id} ${assessment.ruleset.version}; decision support, to be confirmed.)`;
  for (const { items, severity, label } of groups) {
    for (const item of items) {
      const lesion = lesionOf(assessment, item.lesionId);
      const identifier = c.identify("DetectedIssue", item.ruleId, item.evidence, lesion ? item.lesionId : undefined);
      const key = `issue:${item.ruleId}:${shortHash(identifier.value)}`;
      const same = made.get(key);
      if (same) {
        const existing = same.resource as DetectedIssue;
        existing.detail = `${existing.detail} Also: ${item.text}`;
        continue;
      }
      const about = lesion ? ` Lesion: ${lesionText(lesion, "short")}.` : "";
      const issue: DetectedIssue = {
        resourceType: "DetectedIssue",
        identifier: [identifier],
        status: "preliminary",
        code: { coding: [{ system: c.codeSystem, code: item.ruleId, display: label }], text: `${label}: ${item.text}` },
        severity,
        patient: c.subject,
        identifiedDateTime: context.now,
        ...(item.evidence.length ? { evidence: [{ detail: refs(item.evidence) }] } : {}),
        detail: `[${item.ruleId}] ${item.text}${item.detail ? ` ${item.detail}` : ""}${about} ${provenance}`,
      };
      made.set(key, {
        key,
        kind: "issue",
        resourceType: "DetectedIssue",
        identifier,
        tier: "B",
        description: `${label} [${item.ruleId}]${lesion ? ` (${lesionText(lesion, "name")})` : ""}: ${item.text}`,
        ruleIds: [item.ruleId],
        references: [],
        resource: issue,
      });
      issues.push({ key, item });
    }
  }
  return { entries: [...made.values()], issues };
}
