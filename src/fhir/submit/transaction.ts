import type { Bundle, BundleEntry, FhirResource } from "fhir/r4";
import type { PlannedWrite } from "../../writeback/plan";
import { confirmAfterFailure, idFromLocation, progress, recordCreated, recordPending, stopReason, type Run } from "./run";
import { asFailure, isRefusal, mayHaveCommitted, send, type Failure } from "./send";
import { runSingle } from "./single";

/**
 * One POST of a transaction Bundle, `ifNoneExist` on every entry: the EHR saves all or none. A
 * refused transaction is sent again one by one (each conditional) to find which entry is refused;
 * a lost answer is followed by a search per resource, never by a blind repeat.
 */
export async function runTransaction(run: Run, writes: readonly PlannedWrite[]): Promise<void> {
  const bundle = run.submission.transaction();
  progress(run, `Saving ${writes.length} items together`);
  try {
    const response = await postBundle(run, bundle);
    await recordEntries(run, writes, bundle, response.body?.entry ?? [], false);
  } catch (error) {
    const failure = asFailure(error);
    if (isRefusal(failure)) {
      // Atomic: nothing was saved. Send one by one, each conditional, to find which one is refused.
      run.result.notes.push(
        `The EHR refused to save everything together (HTTP ${failure.status}: ${failure.message}), so nothing was saved that way; ` +
          "the items were then sent one at a time, each only if not already there.",
      );
      run.total += writes.length;
      await runSingle(run, writes);
      return;
    }
    if (failure.kind === "session-expired") {
      run.result.sessionExpired = true;
      recordPending(run, writes, stopReason(failure, writes[0]));
      return;
    }
    if (!mayHaveCommitted(failure)) {
      recordPending(run, writes, stopReason(failure, writes[0]));
      return;
    }
    await confirmTransaction(run, writes, bundle, failure);
  }
}

/** After a failure that may have committed: search each resource by identifier; never send it blindly again. */
async function confirmTransaction(run: Run, writes: readonly PlannedWrite[], bundle: Bundle, failure: Failure): Promise<void> {
  const unknown: PlannedWrite[] = [];
  const missing: PlannedWrite[] = [];
  for (const write of writes) {
    const found = await confirmAfterFailure(run, write);
    if (found === "unknown") unknown.push(write);
    else if (found?.id) recordCreated(run, write, found, found.id, false, true);
    else missing.push(write);
  }
  if (unknown.length && !missing.length && writes.every((w) => w.dedup === "if-none-exist")) {
    // The app may not search some types, but every entry is conditional: sending the same
    // transaction again is how the EHR says what it holds (200: saved before, 201: now). Once.
    try {
      const again = await postBundle(run, bundle);
      await recordEntries(run, writes, bundle, again.body?.entry ?? [], true);
      run.result.notes.push(
        "The EHR did not confirm the save; the app asked again in a way that cannot make a copy, and everything is saved.",
      );
      return;
    } catch (error) {
      // Left pending below ("may have been saved"): Retry is safe.
      if (asFailure(error).kind === "session-expired") run.result.sessionExpired = true;
    }
  }
  if (run.result.created.length) {
    run.result.notes.push("The EHR did not confirm the save, but a search shows it was saved; it was not sent again.");
  }
  recordPending(run, missing, `${failure.message} A search shows the EHR did not save it. Retry is safe: it never makes a copy.`);
  recordPending(run, unknown, stopReason(failure, unknown[0] ?? writes[0], "unknown"), "unknown");
}

function postBundle(run: Run, bundle: Bundle) {
  // The base URL itself: "" resolves to it.
  return send<Bundle>(run, { url: "", method: "POST", body: JSON.stringify(bundle), headers: { "content-type": "application/fhir+json" } });
}

function entryOutcome(entry: BundleEntry | undefined): { status: number; id: string | null; resource?: FhirResource } {
  const status = Number.parseInt(entry?.response?.status ?? "", 10);
  return { status: Number.isFinite(status) ? status : 0, id: entry?.resource?.id ?? null, resource: entry?.resource };
}

/** The transaction-response entries, in request order, as created items (searching when an id is missing). */
async function recordEntries(
  run: Run,
  writes: readonly PlannedWrite[],
  bundle: Bundle,
  entries: BundleEntry[],
  resent: boolean,
): Promise<void> {
  for (let i = 0; i < writes.length; i++) {
    const write = writes[i];
    if (run.result.created.some((c) => c.key === write.key)) continue;
    const outcome = entryOutcome(entries[i]);
    const id = outcome.id ?? idFromLocation(entries[i]?.response?.location, write.resourceType);
    const sent = bundle.entry?.[i]?.resource as FhirResource;
    if (id) {
      recordCreated(run, write, outcome.resource ?? { ...sent, id }, id, outcome.status === 200, resent);
      continue;
    }
    const found = resent ? "unknown" : await confirmAfterFailure(run, write);
    if (found && found !== "unknown" && found.id) recordCreated(run, write, found, found.id, outcome.status === 200);
    else recordCreated(run, write, sent, "(id not returned)", outcome.status === 200, resent);
  }
}
