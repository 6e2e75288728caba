import { useCallback, useMemo, useRef, useState } from "react";
import type { Assessment } from "../../clinical/types";
import { compose } from "../../writeback/compose";
import { loadDraft, saveDraft, type DraftState, type DraftStorage, type ItemOutcome, type WriteDraft } from "../../writeback/draft";
import type { WriteChoices, WriteContext } from "../../writeback/types";

/**
 * The draft of this patient's finding in the tab's storage: loaded once (item hashes mapped back to
 * the keys the assessment can produce), saved on every change of choices, send state or outcomes.
 */
export function useWriteDraft(input: {
  storage: DraftStorage | null;
  assessment: Assessment;
  context: Omit<WriteContext, "now">;
  findingId: string;
  clock: () => Date;
}) {
  const { storage, assessment, context, findingId, clock } = input;
  const patientId = context.patientId;
  // Every key a plan for this assessment can have (the Condition included); keys do not depend on the time.
  const keys = useMemo(() => {
    try {
      return compose(assessment, { ...context, now: "" }, { includeCondition: true }).entries.map((e) => e.key);
    } catch {
      return [];
    }
  }, [assessment, context]);
  const [draft, setDraft] = useState<WriteDraft | null>(() => loadDraft(storage, patientId, findingId, keys));
  const current = useRef(draft);

  const persist = useCallback(
    (state: DraftState, choices: WriteChoices, outcomes?: Record<string, ItemOutcome>) => {
      const next: WriteDraft = {
        version: 2,
        findingId,
        choices,
        state,
        // An item written earlier stays in the EHR even when a later send leaves it out.
        items: { ...(current.current?.items ?? {}), ...(outcomes ?? {}) },
        updatedAt: clock().toISOString(),
      };
      current.current = next;
      saveDraft(storage, patientId, next);
      setDraft(next);
    },
    [storage, patientId, findingId, clock],
  );
  return { draft, persist };
}
