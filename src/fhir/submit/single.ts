import type { FhirResource } from "fhir/r4";
import type { PlannedWrite } from "../../writeback/plan";
import {
  NOT_SENT_AFTER_STOP,
  confirmAfterFailure,
  findExisting,
  idFromLocation,
  carries,
  progress,
  recordCreated,
  recordPending,
  recordRefused,
  stopReason,
  type Run,
} from "./run";
import { asFailure, isRefusal, mayHaveCommitted, send, type Failure } from "./send";

/**
 * Ordered single creates: `If-None-Exist` where the server supports conditional create, else a
 * search by identifier first. A request whose answer is lost, or that fails with a server error
 * after the EHR received it, is followed by a search by identifier, never by a blind repeat; when
 * that cannot be known the run stops, the item is reported as "may have been saved", and the rest
 * is left for a Retry, which is safe for the same reasons.
 */
export async function runSingle(run: Run, writes: readonly PlannedWrite[]): Promise<void> {
  for (let index = 0; index < writes.length; index++) {
    const write = writes[index];
    const resource = run.submission.render(write.key, run.state);
    if (!resource) {
      run.result.skipped.push({
        key: write.key,
        resourceType: write.resourceType,
        tier: write.tier,
        description: write.description,
        reason: "nothing else was written, so there was nothing to attest",
        cause: "nothing-to-attest",
      });
      continue;
    }
    const outcome = await writeOne(run, write, resource);
    if (outcome === "stop") {
      recordPending(run, writes.slice(index + 1), run.result.sessionExpired ? stopReason(SESSION_EXPIRED, write) : NOT_SENT_AFTER_STOP);
      return;
    }
  }
}

const SESSION_EXPIRED: Failure = { kind: "session-expired", status: 401, message: "The session has expired." };

type Created = { resource: FhirResource; id: string; existed: boolean };

/** What one create came to: created (perhaps confirmed after a failure), failed (perhaps after a commit), or shown not saved. */
type Outcome =
  | { kind: "created"; created: Created; confirmed: boolean; note?: string }
  | { kind: "failed"; failure: Failure; maybeSaved: boolean }
  | { kind: "not-saved"; failure: Failure };

/** Writes one resource; "stop" when the run cannot go on (its reason is recorded). */
async function writeOne(run: Run, write: PlannedWrite, resource: FhirResource): Promise<"next" | "stop"> {
  if (write.dedup === "search-first") {
    const checked = await checkEarlierCopy(run, write);
    if (checked) return checked;
  }
  progress(run, write.description);
  const outcome = await createConfirmed(run, write, resource);
  switch (outcome.kind) {
    case "created":
      recordCreated(run, write, outcome.created.resource, outcome.created.id, outcome.created.existed, outcome.confirmed);
      if (outcome.note) run.result.notes.push(outcome.note);
      return "next";
    case "not-saved":
      recordPending(
        run,
        [write],
        `${outcome.failure.message} A search shows the EHR did not save it. Retry is safe: it never makes a copy.`,
      );
      return "stop";
    case "failed":
      return failed(run, write, outcome.failure, outcome.maybeSaved);
  }
}

/** Search-first: an earlier copy counts as written ("next"); a refused search is a refusal; undefined: go on and create. */
async function checkEarlierCopy(run: Run, write: PlannedWrite): Promise<"next" | "stop" | undefined> {
  progress(run, `Checking for an earlier copy: ${write.description}`);
  try {
    const existing = await findExisting(run, write);
    if (!existing?.id) return undefined;
    recordCreated(run, write, existing, existing.id, true);
    return "next";
  } catch (error) {
    const failure = asFailure(error);
    if (!isRefusal(failure)) return stop(run, write, failure, "not-saved");
    recordRefused(run, write, {
      status: failure.status,
      message: `the app could not check for an earlier copy (${failure.message}), so it did not write one`,
    });
    return "next";
  }
}

/** One create, and after a failure that may have committed: a search, or (conditional only) one more ask. */
async function createConfirmed(run: Run, write: PlannedWrite, resource: FhirResource): Promise<Outcome> {
  const first = await attempt(() => createOnce(run, write, resource));
  if ("created" in first) return { kind: "created", created: first.created, confirmed: false };
  if (!mayHaveCommitted(first.failure)) return { kind: "failed", failure: first.failure, maybeSaved: false };
  // Did the EHR commit it? Ask, never send it blindly again.
  const found = await confirmAfterFailure(run, write);
  if (found && found !== "unknown" && found.id) {
    const note = `${write.description}: the EHR did not confirm it, but a search shows it was saved; it was not sent again.`;
    return { kind: "created", created: { resource: found, id: found.id, existed: false }, confirmed: true, note };
  }
  if (found === null) return { kind: "not-saved", failure: first.failure };
  if (write.dedup !== "if-none-exist") return { kind: "failed", failure: first.failure, maybeSaved: true };
  // The app may not search this type, but the create is conditional: asking again with
  // If-None-Exist is how the EHR says whether the first one was saved (200) or not (201, and now
  // it is). It cannot make a copy. Once only.
  const second = await attempt(() => createOnce(run, write, resource));
  if ("failure" in second) return { kind: "failed", failure: second.failure, maybeSaved: true };
  const note = `${write.description}: the EHR did not confirm it; the app asked again in a way that cannot make a copy, and it is saved.`;
  return { kind: "created", created: second.created, confirmed: true, note };
}

/** A create that failed: refused ("next"), or the run stops, saying whether the EHR may hold it. */
async function failed(run: Run, write: PlannedWrite, failure: Failure, maybeSaved: boolean): Promise<"next" | "stop"> {
  if (maybeSaved) return stop(run, write, failure, "unknown");
  if (failure.kind === "http" && failure.status === 412) {
    // More than one match for If-None-Exist: it is there already (more than once).
    const found = await confirmAfterFailure(run, write);
    if (found && found !== "unknown" && found.id) {
      recordCreated(run, write, found, found.id, true);
      return "next";
    }
  }
  if (isRefusal(failure)) {
    recordRefused(run, write, failure);
    return "next";
  }
  return stop(run, write, failure, "not-saved");
}

function stop(run: Run, write: PlannedWrite, failure: Failure, saved: "not-saved" | "unknown"): "stop" {
  if (failure.kind === "session-expired") run.result.sessionExpired = true;
  recordPending(run, [write], stopReason(failure, write, saved), saved);
  return "stop";
}

async function attempt(fn: () => Promise<Created>): Promise<{ created: Created } | { failure: Failure }> {
  try {
    return { created: await fn() };
  } catch (error) {
    return { failure: asFailure(error) };
  }
}

/** One POST of one resource; resolves with what the EHR holds, or throws a Failure. */
async function createOnce(run: Run, write: PlannedWrite, resource: FhirResource): Promise<Created> {
  const response = await send<FhirResource | null>(run, {
    url: write.resourceType,
    method: "POST",
    body: JSON.stringify(resource),
    headers: {
      "content-type": "application/fhir+json",
      ...(write.dedup === "if-none-exist" ? { "if-none-exist": write.condition } : {}),
    },
  });
  const body = response.body && typeof response.body === "object" ? response.body : undefined;
  const existed = response.status === 200;
  if (body && existed && !carries(body, write)) {
    // The server "found" something that does not carry our identifier: it ignored the condition.
    const failure: Failure = {
      kind: "http",
      status: response.status,
      message:
        "the EHR returned a different, existing resource instead of creating this one (its conditional create ignored the identifier)",
      refusal: true,
    };
    throw failure;
  }
  const id =
    body?.id ??
    idFromLocation(response.headers.get("location"), write.resourceType) ??
    idFromLocation(response.headers.get("content-location"), write.resourceType);
  if (id) return { resource: body ?? { ...resource, id }, id, existed };
  // Written, but the id did not come back: find it by identifier.
  const found = await confirmAfterFailure(run, write);
  if (found && found !== "unknown" && found.id) return { resource: found, id: found.id, existed };
  return { resource, id: "(id not returned)", existed };
}
