import { memo, type FunctionComponent } from "react";
import type { Assessment } from "../../clinical/types";

/**
 * A panel that re-renders only when what it shows changes: its other props (by identity) or the
 * parts of the assessment it reads, `keys`. The worker hands over unchanged parts as the same
 * objects (assess/share.ts), so while a large record loads a panel whose parts are settled is not
 * rendered again on every snapshot. `keys` must list every part the panel and its children read;
 * the panel's props type is narrowed to them (AssessmentParts), so reading another is a type error.
 */
export type AssessmentParts<K extends keyof Assessment> = Pick<Assessment, K>;

export function memoOnAssessment<K extends keyof Assessment, P extends { assessment: AssessmentParts<K> | null }>(
  Panel: FunctionComponent<P>,
  keys: readonly K[],
) {
  return memo(Panel, (prev, next) => {
    const names = Object.keys(next) as (keyof P)[];
    if (names.length !== Object.keys(prev).length) return false;
    for (const name of names) if (name !== "assessment" && prev[name] !== next[name]) return false;
    const a = prev.assessment;
    const b = next.assessment;
    if (a === b) return true;
    if (!a || !b) return false;
    return keys.every((k) => a[k] === b[k]);
  });
}
