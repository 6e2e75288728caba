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

const TYPE_LABELS: Record<string, string> = {
  ImagingStudy: "Imaging studies",
  DiagnosticReport: "Reports",
  DocumentReference: "Clinical notes",
  Condition: "Conditions",
  Patient: "Patient",
  Procedure: "Procedures",
  MedicationRequest: "Medications",
};

export function scopeLabel(scope: Scope): string {
  if (scope.startsWith("Observation:")) {
    const group = OBSERVATION_CODE_GROUPS.find((g) => `Observation:${g.key}` === scope);
    return group ? group.label : `Observations (${scope.slice("Observation:".length)})`;
  }
  return TYPE_LABELS[scope] ?? scope;
}

const HOW: Record<UnavailableData["reason"], string> = {
  failed: "could not be loaded",
  truncated: "were only partly loaded",
  pending: "are still loading",
  unreadable: "could not be read",
};

/** "Reports could not be read; Labs: kidney function could not be loaded", for the scopes given. */
export function whyUnavailable(scopes: readonly Scope[], entries: readonly UnavailableData[]): string {
  const parts = new Set<string>();
  for (const scope of scopes) {
    for (const u of entries) if (scopesOf(u).includes(scope)) parts.add(`${scopeLabel(scope)} ${HOW[u.reason]}`);
  }
  return [...parts].join("; ");
}
