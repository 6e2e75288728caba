import type { Bundle, BundleEntry, OperationOutcome, FhirResource } from "fhir/r4";
import type { PlannedSkip, PlannedWrite, RenderState, Submission, WriteMode } from "../writeback/plan";
import { sentence } from "../writeback/plan";
import { decodeBase64Utf8 } from "../writeback/identifiers";
import type { Identifier } from "../writeback/types";

/**
 * Executes a write-back plan against the EHR: the only part of the write-back that talks to the
 * network. Strictly sequential (one request in flight at a time). Never duplicates:
 * - transaction: one POST of a transaction Bundle, `ifNoneExist` on every entry;
 * - single creates, in order: `If-None-Exist` where the server supports conditional create, else a
 *   search by identifier before the create;
 * - a request that times out (or loses its connection) is followed by a search by identifier to
 *   learn whether the server committed it, never by a blind repeat; when that cannot be known the
 *   run stops and the rest is left for a Retry, which is safe for the same reasons;
 * - no optional headers (no `Prefer`): every extra header must pass the EHR's CORS preflight;
 *   only `Content-Type` and, for conditional creates, `If-None-Exist` are sent;
 * - a refusal (4xx, OperationOutcome) is recorded with the server's message, the references to the
 *   refused resource are dropped, and what it would have said is folded into the note (the note is
 *   written after the Tier B resources for that reason).
 */

/** The part of a fhirclient Client used here (a real Client fits; tests may pass a fake). */
export interface FhirRequester {
  request<T = unknown>(
    options:
      | string
      | {
          url: string;
          method?: string;
          body?: string;
          headers?: Record<string, string>;
          signal?: AbortSignal;
          includeResponse?: boolean;
        },
  ): Promise<T>;
  state?: { serverUrl?: string };
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface ExecuteOptions {
  /** Per request; after it the request is aborted and the outcome checked by a search. */
  timeoutMs?: number;
  /** Aborts the whole run (e.g. the user closed the app): the rest is left pending. */
  signal?: AbortSignal;
  /** Called before each request, for a progress line. */
  onProgress?: (event: { step: number; total: number; description: string }) => void;
}

export interface CreatedItem {
  key: string;
  resourceType: string;
  id: string;
  /** "DocumentReference/123" */
  reference: string;
  identifier: Identifier;
  description: string;
  /** True when the EHR already had it (an earlier send): nothing new was written. */
  existed: boolean;
  /** True when the request timed out and a search showed the EHR had committed it. */
  confirmedAfterTimeout?: boolean;
  /** The resource as the EHR returned it, or as sent when the EHR returned none. */
  resource: FhirResource;
}

export interface RefusedItem {
  key: string;
  resourceType: string;
  description: string;
  /** HTTP status, when there was one. */
  status?: number;
  /** The server's message (OperationOutcome text), or a description of the failure. */
  message: string;
  /** Whether what it would have said went into the note that was written. */
  foldedIntoNote: boolean;
}

export interface PendingItem {
  key: string;
  resourceType: string;
  description: string;
  /** Why it was not (known to be) written; Retry is safe. */
  reason: string;
}

export interface WriteResult {
  mode: WriteMode;
  created: CreatedItem[];
  refused: RefusedItem[];
  /** Not written in this run because it stopped (timeout, server error, session expiry). */
  pending: PendingItem[];
  /** Not written by decision (the plan's skips, and a Provenance with nothing to attest). */
  skipped: PlannedSkip[];
  /** Human sentences about the run (e.g. "the transaction was refused, sent one by one"). */
  notes: string[];
  /** True when nothing is pending: a retry would change nothing. */
  complete: boolean;
  sessionExpired: boolean;
  /** The note text as written (refusals folded in), or as it should be copied. */
  noteText: string;
  noteWritten: boolean;
}

type Failure =
  | { kind: "timeout"; message: string }
  | { kind: "network"; message: string }
  | { kind: "aborted"; message: string }
  | { kind: "session-expired"; status: 401; message: string }
  | { kind: "http"; status: number; message: string; refusal?: boolean };

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`The EHR did not answer within ${Math.round(ms / 100) / 10} s.`);
    this.name = "TimeoutError";
  }
}

/** The server's message: OperationOutcome issue texts, an OAuth error, or the response text. */
export function serverMessage(body: unknown, fallback: string): string {
  if (body && typeof body === "object") {
    const outcome = body as OperationOutcome & { error?: string; error_description?: string };
    if (outcome.resourceType === "OperationOutcome" && Array.isArray(outcome.issue)) {
      const texts = outcome.issue
        .map((issue) => {
          const text = issue.details?.text ?? issue.diagnostics ?? issue.details?.coding?.[0]?.display ?? issue.code;
          const where = issue.expression?.[0] ?? issue.location?.[0];
          return text ? `${text}${where && !String(text).includes(where) ? ` (${where})` : ""}` : null;
        })
        .filter((t): t is string => !!t);
      if (texts.length) return [...new Set(texts)].join("; ");
    }
    if (typeof outcome.error === "string") {
      return outcome.error_description ? `${outcome.error}: ${outcome.error_description}` : outcome.error;
    }
  }
  if (typeof body === "string" && body.trim()) return body.trim().slice(0, 500);
  return fallback;
}

/**
 * fhirclient's HttpError has consumed the body and appended it to its message after a blank line
 * (JSON pretty-printed, or text). Recover it.
 */
function bodyFromHttpError(error: { message?: string }): unknown {
  const message = error.message ?? "";
  const index = message.indexOf("\n\n");
  if (index < 0) {
    const oauth = /\n([a-z_]+): (.+)$/.exec(message);
    return oauth ? { error: oauth[1], error_description: oauth[2] } : null;
  }
  const rest = message.slice(index + 2);
  try {
    return JSON.parse(rest);
  } catch {
    // fhirclient may have appended more text after the JSON (the session-expired notice).
    const end = rest.lastIndexOf("}");
    if (rest.trimStart().startsWith("{") && end > 0) {
      try {
        return JSON.parse(rest.slice(0, end + 1));
      } catch {
        // fall through
      }
    }
    return rest;
  }
}

function classify(error: unknown, timedOut: boolean, aborted: boolean, timeoutMs: number): Failure {
  if (timedOut) return { kind: "timeout", message: new TimeoutError(timeoutMs).message };
  if (aborted) return { kind: "aborted", message: "The send was cancelled." };
  const e = error as { name?: string; status?: number; statusText?: string; message?: string };
  if (typeof e?.status === "number" && e.status > 0) {
    const body = bodyFromHttpError(e);
    const fallback = `${e.status}${e.statusText ? ` ${e.statusText}` : ""}`;
    const message = serverMessage(body, fallback);
    if (e.status === 401) return { kind: "session-expired", status: 401, message: "The session has expired." };
    return { kind: "http", status: e.status, message };
  }
  if (e?.name === "AbortError") return { kind: "timeout", message: new TimeoutError(timeoutMs).message };
  return { kind: "network", message: "The EHR could not be reached (network error)." };
}

function idFromLocation(location: string | null | undefined, resourceType: string): string | null {
  if (!location) return null;
  const match = new RegExp(`(?:^|/)${resourceType}/([A-Za-z0-9\\-.]{1,64})(?:/|$)`).exec(location);
  return match ? match[1] : null;
}

/** Does this resource carry the planned identifier (Provenance: as a meta.tag)? */
function carries(resource: FhirResource | undefined, write: PlannedWrite): boolean {
  if (!resource || resource.resourceType !== write.resourceType) return false;
  const { system, value } = write.identifier;
  if (resource.resourceType === "Provenance") {
    return (resource.meta?.tag ?? []).some((tag) => tag.system === system && tag.code === value);
  }
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.some((id) => id.system === system && id.value === value);
}

interface Run {
  client: FhirRequester;
  submission: Submission;
  options: ExecuteOptions;
  timeoutMs: number;
  result: WriteResult;
  state: RenderState;
  step: number;
  total: number;
}

interface Response<T> {
  body: T;
  status: number;
  headers: { get(name: string): string | null };
}

/** One request with a timeout; resolves with body + status, or throws a classified Failure. */
async function send<T>(
  run: Run,
  options: { url: string; method?: string; body?: string; headers?: Record<string, string> },
): Promise<Response<T>> {
  const controller = new AbortController();
  let timedOut = false;
  const outer = run.options.signal;
  const onOuterAbort = () => controller.abort();
  if (outer?.aborted) controller.abort();
  outer?.addEventListener("abort", onOuterAbort);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, run.timeoutMs);
  try {
    const raw = await run.client.request<unknown>({ ...options, signal: controller.signal, includeResponse: true });
    // A Client resolves { body, response } with includeResponse (a bare body from simpler fakes).
    if (raw && typeof raw === "object" && "response" in raw && (raw as { response?: unknown }).response) {
      const { body, response } = raw as { body: T; response: { status: number; headers: Response<T>["headers"] } };
      return { body, status: response.status, headers: response.headers };
    }
    return { body: raw as T, status: 200, headers: { get: () => null } };
  } catch (error) {
    throw classify(error, timedOut, !!outer?.aborted, run.timeoutMs);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

function isFailure(error: unknown): error is Failure {
  return !!error && typeof error === "object" && "kind" in error && typeof (error as Failure).message === "string";
}

function asFailure(error: unknown): Failure {
  return isFailure(error) ? error : { kind: "network", message: String((error as Error)?.message ?? error) };
}

/** Search by identifier; the match must really carry it (a server that ignores the parameter returns anything). */
async function findExisting(run: Run, write: PlannedWrite): Promise<FhirResource | null> {
  const { body } = await send<Bundle>(run, { url: write.search, method: "GET" });
  const entries = body && typeof body === "object" && Array.isArray(body.entry) ? body.entry : [];
  const match = entries.map((entry) => entry.resource).find((resource) => carries(resource, write));
  return match ?? null;
}

function progress(run: Run, description: string) {
  run.step += 1;
  run.options.onProgress?.({ step: run.step, total: run.total, description });
}

function recordCreated(run: Run, write: PlannedWrite, resource: FhirResource, id: string, existed: boolean, confirmedAfterTimeout = false) {
  run.result.created.push({
    key: write.key,
    resourceType: write.resourceType,
    id,
    reference: `${write.resourceType}/${id}`,
    identifier: write.identifier,
    description: write.description,
    existed,
    ...(confirmedAfterTimeout ? { confirmedAfterTimeout: true } : {}),
    resource,
  });
  run.state.resolved[write.key] = `${write.resourceType}/${id}`;
  if (write.key === "note") run.result.noteWritten = true;
}

function recordRefused(run: Run, write: PlannedWrite, failure: { status?: number; message: string }) {
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

function recordPending(run: Run, writes: readonly PlannedWrite[], reason: string) {
  for (const write of writes) {
    if (run.result.pending.some((p) => p.key === write.key)) continue;
    run.result.pending.push({ key: write.key, resourceType: write.resourceType, description: write.description, reason });
  }
}

function stopReason(failure: Failure, write: PlannedWrite): string {
  switch (failure.kind) {
    case "session-expired":
      return "The session expired before it was sent. Relaunch the app from the EHR; the draft is kept and sending again never makes a copy.";
    case "aborted":
      return "The send was cancelled before this was written. Sending again never makes a copy.";
    case "http":
      return `The EHR answered with an error (HTTP ${failure.status}: ${failure.message}). Nothing was written for this item; Retry is safe.`;
    default:
      return `${failure.message} ${write.canSearch ? "" : "The app may not search to check whether it was saved; "}Retry is safe: it never makes a copy.`.replace(
        /\s+/g,
        " ",
      );
  }
}

/** Is this failure a refusal of this resource (permanent), or a reason to stop and retry later? */
function isRefusal(failure: Failure): failure is Extract<Failure, { kind: "http" }> {
  return (
    failure.kind === "http" &&
    (failure.refusal === true || (failure.status >= 400 && failure.status < 500 && failure.status !== 408 && failure.status !== 429))
  );
}

/** After a timeout or lost connection: did the server commit it? null = cannot tell. */
async function confirmAfterFailure(run: Run, write: PlannedWrite): Promise<FhirResource | null | "unknown"> {
  if (!write.canSearch) return "unknown";
  try {
    return await findExisting(run, write);
  } catch {
    return "unknown";
  }
}

async function runSingle(run: Run, writes: readonly PlannedWrite[]): Promise<void> {
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

    if (write.dedup === "search-first") {
      progress(run, `Checking for an earlier copy: ${write.description}`);
      try {
        const existing = await findExisting(run, write);
        if (existing?.id) {
          recordCreated(run, write, existing, existing.id, true);
          continue;
        }
      } catch (error) {
        const failure = asFailure(error);
        if (isRefusal(failure)) {
          recordRefused(run, write, {
            status: failure.status,
            message: `the app could not check for an earlier copy (${failure.message}), so it did not write one`,
          });
          continue;
        }
        recordPending(run, writes.slice(index), stopReason(failure, write));
        if (failure.kind === "session-expired") run.result.sessionExpired = true;
        return;
      }
    }

    progress(run, write.description);
    let outcome = await attempt(() => createOnce(run, write, resource));
    if ("failure" in outcome && (outcome.failure.kind === "timeout" || outcome.failure.kind === "network")) {
      // Did the EHR commit it? Ask, never send it blindly again.
      const first = outcome.failure;
      const found = await confirmAfterFailure(run, write);
      if (found && found !== "unknown" && found.id) {
        recordCreated(run, write, found, found.id, false, true);
        run.result.notes.push(
          `${write.description}: the EHR did not answer in time, but a search shows it was saved; it was not sent again.`,
        );
        continue;
      }
      if (found === null) {
        recordPending(run, [write], `${first.message} A search shows the EHR did not save it. Retry is safe: it never makes a copy.`);
        recordPending(run, writes.slice(index + 1), "Not sent: the run stopped at an earlier item. Retry is safe.");
        return;
      }
      if (write.dedup === "if-none-exist") {
        // The app may not search this type, but the create is conditional: asking again with
        // If-None-Exist is how the EHR says whether the first one was saved (200) or not (201, and
        // now it is). It cannot make a copy. Once only.
        outcome = await attempt(() => createOnce(run, write, resource));
        if ("created" in outcome) {
          recordCreated(run, write, outcome.created.resource, outcome.created.id, outcome.created.existed, true);
          run.result.notes.push(
            `${write.description}: the EHR did not answer; the app asked again with If-None-Exist (which cannot make a copy) and it is saved.`,
          );
          continue;
        }
      } else {
        outcome = { failure: first };
      }
    }
    if ("created" in outcome) {
      recordCreated(run, write, outcome.created.resource, outcome.created.id, outcome.created.existed);
      continue;
    }
    const failure = outcome.failure;
    if (failure.kind === "http" && failure.status === 412) {
      // More than one match for If-None-Exist: it is there already (more than once).
      const found = await confirmAfterFailure(run, write);
      if (found && found !== "unknown" && found.id) {
        recordCreated(run, write, found, found.id, true);
        continue;
      }
    }
    if (isRefusal(failure)) {
      recordRefused(run, write, failure);
      continue;
    }
    if (failure.kind === "session-expired") run.result.sessionExpired = true;
    recordPending(run, [write], stopReason(failure, write));
    recordPending(
      run,
      writes.slice(index + 1),
      failure.kind === "session-expired" ? stopReason(failure, write) : "Not sent: the run stopped at an earlier item. Retry is safe.",
    );
    return;
  }
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
  const response = await send<FhirResource | "">(run, {
    url: write.resourceType,
    method: "POST",
    body: JSON.stringify(resource),
    headers: {
      "content-type": "application/fhir+json",
      ...(write.dedup === "if-none-exist" ? { "if-none-exist": write.condition } : {}),
    },
  });
  const body = response.body && typeof response.body === "object" ? (response.body as FhirResource) : undefined;
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

function entryOutcome(entry: BundleEntry | undefined): { status: number; id: string | null; resource?: FhirResource } {
  const status = Number.parseInt(entry?.response?.status ?? "", 10);
  return {
    status: Number.isFinite(status) ? status : 0,
    id: entry?.resource?.id ?? null,
    resource: entry?.resource,
  };
}

async function runTransaction(run: Run, writes: readonly PlannedWrite[]): Promise<void> {
  const bundle = run.submission.transaction();
  progress(run, `Sending ${writes.length} resources in one transaction`);
  const serverUrl = run.client.state?.serverUrl;
  try {
    const response = await send<Bundle>(run, {
      url: serverUrl && /^https?:/.test(serverUrl) ? serverUrl : "",
      method: "POST",
      body: JSON.stringify(bundle),
      headers: { "content-type": "application/fhir+json" },
    });
    const entries = response.body?.entry ?? [];
    for (let i = 0; i < writes.length; i++) {
      const write = writes[i];
      const outcome = entryOutcome(entries[i]);
      const id = outcome.id ?? idFromLocation(entries[i]?.response?.location, write.resourceType);
      const sent = bundle.entry?.[i]?.resource as FhirResource;
      if (id) {
        recordCreated(run, write, outcome.resource ?? { ...sent, id }, id, outcome.status === 200);
        continue;
      }
      const found = await confirmAfterFailure(run, write);
      if (found && found !== "unknown" && found.id) recordCreated(run, write, found, found.id, outcome.status === 200);
      else recordCreated(run, write, sent, "(id not returned)", outcome.status === 200);
    }
  } catch (error) {
    const failure = asFailure(error);
    if (isRefusal(failure)) {
      // Atomic: nothing was saved. Send one by one, each conditional, to find which one is refused.
      run.result.notes.push(
        `The EHR refused the transaction (HTTP ${failure.status}: ${failure.message}). Nothing from it was saved; ` +
          "the resources were sent one at a time instead, each only if not already there.",
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
    if (failure.kind === "timeout" || failure.kind === "network") {
      // Did the transaction commit? Search each resource by identifier; never send it blindly again.
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
          const again = await send<Bundle>(run, {
            url: serverUrl && /^https?:/.test(serverUrl) ? serverUrl : "",
            method: "POST",
            body: JSON.stringify(bundle),
            headers: { "content-type": "application/fhir+json" },
          });
          const entries = again.body?.entry ?? [];
          for (let i = 0; i < writes.length; i++) {
            const write = writes[i];
            if (run.result.created.some((c) => c.key === write.key)) continue;
            const outcome = entryOutcome(entries[i]);
            const id = outcome.id ?? idFromLocation(entries[i]?.response?.location, write.resourceType);
            const sent = bundle.entry?.[i]?.resource as FhirResource;
            recordCreated(
              run,
              write,
              outcome.resource ?? { ...sent, id: id ?? "(id not returned)" },
              id ?? "(id not returned)",
              outcome.status === 200,
              true,
            );
          }
          run.result.notes.push(
            "The EHR did not answer; the app sent the transaction again with If-None-Exist on every entry (which cannot make a copy), and it is saved.",
          );
          return;
        } catch {
          // fall through: left pending, Retry is safe
        }
      }
      if (run.result.created.length) {
        run.result.notes.push("The EHR did not answer in time, but a search shows the transaction was saved; it was not sent again.");
      }
      recordPending(run, missing, `${failure.message} A search shows the EHR did not save it. Retry is safe: it never makes a copy.`);
      recordPending(run, unknown, stopReason(failure, unknown[0] ?? writes[0]));
      return;
    }
    recordPending(run, writes, stopReason(failure, writes[0]));
  }
}

export async function executeWriteBack(client: FhirRequester, submission: Submission, options: ExecuteOptions = {}): Promise<WriteResult> {
  const { plan } = submission;
  const result: WriteResult = {
    mode: plan.mode,
    created: [],
    refused: [],
    pending: [],
    skipped: [...plan.skip],
    notes: [],
    complete: false,
    sessionExpired: false,
    noteText: plan.noteText,
    noteWritten: false,
  };
  const run: Run = {
    client,
    submission,
    options,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    result,
    state: { resolved: {}, dropped: [], refused: [] },
    step: 0,
    total: plan.mode === "transaction" ? 1 : plan.write.length,
  };

  if (plan.mode === "transaction") await runTransaction(run, plan.write);
  else if (plan.mode === "single") await runSingle(run, plan.write);

  // The note as written (with refusals folded in), or as the clinician should copy it.
  const noteState: RenderState = { ...run.state, dropped: [...run.state.dropped] };
  const note = submission.render("note", noteState);
  const noteData = note && note.resourceType === "DocumentReference" ? note.content?.[0]?.attachment?.data : undefined;
  const writtenNote = result.created.find((c) => c.key === "note");
  const writtenData =
    writtenNote?.resource.resourceType === "DocumentReference" ? writtenNote.resource.content?.[0]?.attachment?.data : undefined;
  if (writtenData && !writtenNote?.existed) result.noteText = decodeBase64Utf8(writtenData);
  else if (noteData) result.noteText = decodeBase64Utf8(noteData);

  const noteIndex = plan.write.findIndex((w) => w.key === "note");
  for (const refused of result.refused) {
    const refusedIndex = plan.write.findIndex((w) => w.key === refused.key);
    refused.foldedIntoNote =
      refused.key !== "note" &&
      refused.resourceType !== "Provenance" &&
      result.noteWritten &&
      !writtenNote?.existed &&
      refusedIndex < noteIndex;
  }
  result.complete = result.pending.length === 0;
  return result;
}
