import type { Assessment } from "../../../clinical/types";

/**
 * Structural sharing between two assessments of a growing record. Most parts of an assessment
 * stay the same from one snapshot to the next (while notes are read only `read` moves; a page of
 * calcium results changes `labs.calcium` only), yet an answer from the worker is a fresh copy every
 * time. The worker sends only the parts that changed, down to the parts of parts (`labs.calcium`),
 * and the main thread keeps the objects it already holds for the others, so a panel or card that
 * reads only unchanged parts gets the very same objects and can skip its render
 * (memoOnAssessment.ts).
 */

/** Objects this deep (the assessment is depth 0) are compared part by part; deeper ones whole. */
const SHARED_DEPTH = 2;

/** Worker → main thread: an object's keys in order, the values that changed, and the delta of each changed object part. */
export interface AssessmentDelta {
  keys: string[];
  changed: Record<string, unknown>;
  parts: Record<string, AssessmentDelta>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Worker side: remembers each part as JSON (the assessment is plain JSON) to find what changed. */
export class AssessmentDiffer {
  private previous = new Map<string, string>();

  /** Forget the previous assessment: the next delta carries every part. */
  reset(): void {
    this.previous = new Map();
  }

  delta(assessment: Assessment): AssessmentDelta {
    const next = new Map<string, string>();
    const walk = (obj: Record<string, unknown>, path: string, depth: number): AssessmentDelta | null => {
      const keys = Object.keys(obj);
      const out: AssessmentDelta = { keys, changed: {}, parts: {} };
      const keyList = keys.join("\u0001");
      next.set(`${path}\u0002`, keyList);
      let moved = this.previous.get(`${path}\u0002`) !== keyList;
      for (const key of keys) {
        const value = obj[key];
        const at = `${path}\u0000${key}`;
        if (depth < SHARED_DEPTH && isPlainObject(value)) {
          const sub = walk(value, at, depth + 1);
          if (sub) {
            out.parts[key] = sub;
            moved = true;
          }
          continue;
        }
        const json = JSON.stringify(value);
        next.set(at, json);
        if (this.previous.get(at) !== json) {
          out.changed[key] = value;
          moved = true;
        }
      }
      return moved ? out : null;
    };
    const delta = walk(assessment as unknown as Record<string, unknown>, "", 1) ?? {
      keys: Object.keys(assessment),
      changed: {},
      parts: {},
    };
    this.previous = next;
    return delta;
  }
}

/** Main-thread side: the object the delta describes, sharing the unchanged parts of `last`. */
export function applyDelta(last: Assessment | null, delta: AssessmentDelta): Assessment {
  return apply(last, delta, "") as unknown as Assessment;
}

function apply(last: unknown, delta: AssessmentDelta, path: string): Record<string, unknown> {
  const before = isPlainObject(last) ? last : {};
  const out: Record<string, unknown> = {};
  for (const key of delta.keys) {
    if (key in delta.changed) out[key] = delta.changed[key];
    else if (key in delta.parts) out[key] = apply(before[key], delta.parts[key]!, `${path}${key}.`);
    else if (key in before) out[key] = before[key];
    else throw new Error(`the assessment worker left out "${path}${key}", which the main thread does not hold`);
  }
  return out;
}
