import { useCallback, useRef, useState } from "react";
import { executeWriteBack, type WriteResult } from "../../fhir/submit";
import type { SmartClient } from "../../fhir/transport";
import type { Submission } from "../../writeback/plan";

/** Sends a submission, strictly one run at a time (a double click sends once), with a progress line. */
export function useSend(client: SmartClient, timeoutMs: number | undefined) {
  const [result, setResult] = useState<WriteResult | null>(null);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const inFlight = useRef(false);

  const send = useCallback(
    async (submission: Submission, hooks: { before(): void; after(result: WriteResult): void }) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setSending(true);
      setProgress(null);
      hooks.before();
      try {
        const outcome = await executeWriteBack(client, submission, {
          timeoutMs,
          onProgress: ({ step, total, description }) => setProgress(`Writing ${step} of ${total}: ${description}`),
        });
        setResult(outcome);
        hooks.after(outcome);
      } finally {
        inFlight.current = false;
        setSending(false);
        setProgress(null);
      }
    },
    [client, timeoutMs],
  );
  return { result, sending, progress, send };
}
