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
 * that cannot be known the run stops and the rest is left for a Retry, which is safe for the same
 * reasons.
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
      });
      continue;
    }
    const outcome = await writeOne(run, write, resource);
    if (outcome === "stop") {
      recordPending(run, writes.slice(index + 1), run.result.sessionExpired ? stopReason(sessionExpired, write) : NOT_SENT_AFTER_STOP);
      return;
    }
  }
}

const sessionExpired: Failure = { kind: "session-expired", status: 401, message: "The session has expired." };

/** Writes one resource; "stop" when the run cannot go on (its reason is recorded). */
async function writeOne(run: Run, write: PlannedWrite, resource: FhirResource): Promise<"next" | "stop"> {
  if (write.dedup === "search-first") {
    progress(run, `Checking for an earlier copy: ${write.description}`);
    try {
      const existing = await findExisting(run, write);
      if (existing?.id) {
        recordCreated(run, write, existing, existing.id, true);
        return "next";
      }
    } catch (error) {
      const failure = asFailure(error);
      if (isRefusal(failure)) {
        recordRefused(run, write, {
          status: failure.status,
          message: `the app could not check for an earlier copy (${failure.message}), so it did not write one`,
        });
        return "next";
      }
      return stop(run, write, failure, "not-saved");
    }
  }

  progress(run, write.description);
  let outcome = await attempt(() => createOnce(run, write, resource));
  if ("failure" in outcome && mayHaveCommitted(outcome.failure)) {
    // Did the EHR commit it? Ask, never send it blindly again.
    const first = outcome.failure;
    const found = await confirmAfterFailure(run, write);
    if (found && found !== "unknown" && found.id) {
      recordCreated(run, write, found, found.id, false, true);
      run.result.notes.push(`${write.description}: the EHR did not confirm it, but a search shows it was saved; it was not sent again.`);
      return "next";
    }
    if (found === null) {
      recordPending(run, [write], `${first.message} A search shows the EHR did not save it. Retry is safe: it never makes a copy.`);
      return "stop";
    }
    if (write.dedup !== "if-none-exist") return stop(run, write, first, "unknown");
    // The app may not search this type, but the create is conditional: asking again with
    // If-None-Exist is how the EHR says whether the first one was saved (200) or not (201, and now
    // it is). It cannot make a copy. Once only.
    outcome = await attempt(() => createOnce(run, write, resource));
    if ("created" in outcome) {
      recordCreated(run, write, outcome.created.resource, outcome.created.id, outcome.created.existed, true);
      run.result.notes.push(
        `${write.description}: the EHR did not confirm it; the app asked again with If-None-Exist (which cannot make a copy) and it is saved.`,
      );
      return "next";
    }
    if (mayHaveCommitted(outcome.failure)) return stop(run, write, outcome.failure, "unknown");
  }
  if ("created" in outcome) {
    recordCreated(run, write, outcome.created.resource, outcome.created.id, outcome.created.existed);
    return "next";
  }
  const failure = outcome.failure;
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
  return stop(run, write, failure, mayHaveCommitted(failure) ? "unknown" : "not-saved");
}

function stop(run: Run, write: PlannedWrite, failure: Failure, saved: "not-saved" | "unknown"): "stop" {
  if (failure.kind === "session-expired") run.result.sessionExpired = true;
  recordPending(run, [write], stopReason(failure, write), saved);
  return "stop";
}

type Attempt = { created: { resource: FhirResource; id: string; existed: boolean } } | { failure: Failure };

async function attempt(fn: () => Promise<{ resource: FhirResource; id: string; existed: boolean }>): Promise<Attempt> {
  try {
    return { created: await fn() };
  } catch (error) {
    return { failure: asFailure(error) };
  }
}

/** One POST of one resource; resolves with what the EHR holds, or throws a Failure. */
async function createOnce(
  run: Run,
  write: PlannedWrite,
  resource: FhirResource,
): Promise<{ resource: FhirResource; id: string; existed: boolean }> {
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
