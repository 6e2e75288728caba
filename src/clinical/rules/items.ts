/** Building the items of an Assessment: rule id, short text, sorted evidence, the rule's source tags. */
import { refs } from "../order";
import { RULES } from "../ruleTable";
import type { GapItem, RuleId, RuleItem } from "../types";

export function item(ruleId: RuleId, text: string, evidence: readonly string[], detail?: string | null): RuleItem {
  const out: RuleItem = { ruleId, text, evidence: refs(evidence), sources: [...RULES[ruleId].sources] };
  if (detail) out.detail = detail;
  return out;
}

export function gap(
  ruleId: RuleId,
  text: string,
  priority: number,
  evidence: readonly string[] = [],
  lastSeen: string | null = null,
): GapItem {
  return { ruleId, text, evidence: refs(evidence), sources: [...RULES[ruleId].sources], priority, lastSeen };
}
