import type { Bundle, FhirResource } from "fhir/r4";
import { sentence } from "../../writeback/labels";
import type { PlannedWrite, RenderState, Submission } from "../../writeback/plan";
import { send, type Failure, type SendContext } from "./send";
import type { ExecuteOptions, PendingItem, WriteResult } from "./types";

/** One execution of a plan: what was sent so far, and what the EHR holds. */
export interface Run extends SendContext {
  submission: Submission;
  options: ExecuteOptions;
  result: WriteResult;
  state: RenderState;
  step: number;
  total: number;
}

export function progress(run: Run, description: string): void {
  run.step += 1;
  run.options.onProgress?.({ step: run.step, total: run.total, description });
}

/** Does this resource carry the planned identifier (Provenance: as a meta.tag)? */
export function carries(resource: FhirResource | undefined, write: PlannedWrite): boolean {
  if (!resource || resource.resourceType !== write.resourceType) return false;
  const { system, value } = write.identifier;
  if (resource.resourceType === "Provenance") {
    return (resource.meta?.tag ?? []).some((tag) => tag.system === system && tag.code === value);
  }
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.some((id) => id.system === system && id.value === value);
}

/** Search by identifier; the match must really carry it (a server that ignores the parameter returns anything). */
export async function findExisting(run: Run, write: PlannedWrite): Promise<FhirResource | null> {
  const { body } = await send<Bundle>(run, { url: write.search, method: "GET" });
  const entries = body && typeof body === "object" && Array.isArray(body.entry) ? body.entry : [];
  const match = entries.map((entry) => entry.resource).find((resource) => carries(resource, write));
  return match ?? null;
}

/** After a failure that may have committed: did the server save it? "unknown" = the app may not search. */
export async function confirmAfterFailure(run: Run, write: PlannedWrite): Promise<FhirResource | null | "unknown"> {
  if (!write.canSearch) return "unknown";
  try {
    return await findExisting(run, write);
  } catch {
    return "unknown";
  }
}

export function idFromLocation(location: string | null | undefined, resourceType: string): string | null {
  if (!location) return null;
  const match = new RegExp(`(?:^|/)${resourceType}/([A-Za-z0-9\\-.]{1,64})(?:/|$)`).exec(location);
  return match ? match[1] : null;
}

export function recordCreated(
  run: Run,
  write: PlannedWrite,
  resource: FhirResource,
  id: string,
  existed: boolean,
  confirmedAfterFailure = false,
): void {
  run.result.created.push({
    key: write.key,
    resourceType: write.resourceType,
    id,
    reference: `${write.resourceType}/${id}`,
    identifier: write.identifier,
    description: write.description,
    existed,
    ...(confirmedAfterFailure ? { confirmedAfterFailure: true } : {}),
    resource,
  });
  run.state.resolved[write.key] = `${write.resourceType}/${id}`;
  if (write.key === "note") run.result.noteWritten = true;
}

export function recordRefused(run: Run, write: PlannedWrite, failure: { status?: number; message: string }): void {
  run.result.refused.push({
    key: write.key,
    resourceType: write.resourceType,
    description: write.description,
    ...(failure.status ? { status: failure.status } : {}),
    message: failure.message,
    foldedIntoNote: false,
  });
  run.state.dropped.push(write.key);
  run.state.refused.push({
    key: write.key,
    description: write.description,
    reason: sentence(`the EHR refused it${failure.status ? ` (HTTP ${failure.status})` : ""}: ${failure.message}`),
  });
}

export function recordPending(run: Run, writes: readonly PlannedWrite[], reason: string, saved: PendingItem["saved"] = "not-saved"): void {
  for (const write of writes) {
    if (run.result.pending.some((p) => p.key === write.key)) continue;
    run.result.pending.push({ key: write.key, resourceType: write.resourceType, description: write.description, saved, reason });
  }
}

export const NOT_SENT_AFTER_STOP = "Not sent: the run stopped at an earlier item. Retry is safe.";

/**
 * Why the run stopped at this write, in words the clinician can act on. `saved: "unknown"` when an
 * earlier attempt of this write may have been committed (its answer was lost, or a server error).
 */
export function stopReason(failure: Failure, write: PlannedWrite, saved: PendingItem["saved"] = "not-saved"): string {
  switch (failure.kind) {
    case "session-expired":
      return saved === "unknown"
        ? "The EHR did not confirm it and the session expired before the app could check: it may have been saved. Relaunch the app from the EHR; sending again never makes a copy."
        : "The session expired before it was sent. Relaunch the app from the EHR; the draft is kept and sending again never makes a copy.";
    case "aborted":
      return "The send was cancelled before this was written. Sending again never makes a copy.";
    case "http": {
      const what = `The EHR answered with an error (HTTP ${failure.status}: ${failure.message})`;
      return saved === "unknown"
        ? `${what} after receiving it: it may have been saved. ${RETRY_SAFE}`
        : `${what}. Nothing was written for this item; Retry is safe.`;
    }
    default:
      return saved === "unknown"
        ? `${failure.message} It may have been saved${write.canSearch ? "" : " (the app may not search to check)"}. ${RETRY_SAFE}`
        : `${failure.message} Nothing was written for this item; Retry is safe.`;
  }
}

/** Every planned write is conditional or searched first (plan.ts), so a retry never duplicates it. */
const RETRY_SAFE = "Retry is safe: it never makes a copy.";
