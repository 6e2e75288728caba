/**
 * Data scopes: what the loader can fail on, as the rules see it (rules/needs.ts): a resource type,
 * or one Observation group of codes.ts ("Observation:kidney"). An Observation search outside the
 * groups (a panel search) covers every group.
 */
import { OBSERVATION_CODE_GROUPS } from "./codes";
import type { UnavailableData } from "./types";

/** A resource type, or "Observation:<group key>". */
export type Scope = string;

export function scopesOf(u: UnavailableData): Scope[] {
  if (u.resourceType !== "Observation") return [u.resourceType];
  const group = OBSERVATION_CODE_GROUPS.find((g) => g.key === u.group);
  if (!group) return OBSERVATION_CODE_GROUPS.filter((g) => !g.covers).map((g) => `Observation:${g.key}`);
  return (group.covers ?? [group.key]).map((key) => `Observation:${key}`);
}

export function unavailableScopes(entries: readonly UnavailableData[] | undefined): Set<Scope> {
  return new Set((entries ?? []).flatMap(scopesOf));
}
