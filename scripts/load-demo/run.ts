/**
 * The upload: check the server, read what it has for the demo ids, compare, send what is missing or
 * different as transactions (sequentially), report per patient, print the launch links.
 */
import type { Bundle, CapabilityStatement, Resource } from "fhir/r4";
import { demoPatient } from "../../sandbox/data/index";
import type { Options } from "./args";
import { difference } from "./compare";
import { FhirClient, HttpStatusError, UnreachableError, outcomeText } from "./fhir";
import { launchLinks, localSandboxUrl } from "./links";
import { keyOf, planChanges, transactions, type Change } from "./plan";

/** Stops the run with exit code 2 and this one line: the server cannot be used at all. */
export class FatalError extends Error {}

export interface RunIO {
  out(line: string): void;
  fetch?: typeof fetch;
}

interface Tally {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Ids per search request: short enough for any server's URL limit. */
const IDS_PER_READ = 100;
const MAX_QUERY_CHARS = 1800;
/** Updates, notes and dry-run changes listed under a patient before "… and N more" (failures: all). */
const LIST_LIMIT = 10;
const LOCAL_SANDBOX_SOFTWARE = "SMART sandbox (local EHR simulator)";

export async function run(options: Options, io: RunIO): Promise<number> {
  // The header waits for the first patient's report: a run that stops at once (token refused)
  // prints its one error line and nothing else.
  const header: string[] = [];
  const out = (line: string) => {
    for (const h of header.splice(0)) io.out(h);
    io.out(line);
  };
  const started = performance.now();
  let client = new FhirClient(options.fhir, { bearer: options.bearer, fetch: io.fetch });
  const capabilities = await check(() => client.metadata(), client, "read the CapabilityStatement");
  if (capabilities?.resourceType !== "CapabilityStatement") {
    throw new FatalError(`${options.fhir}/metadata is not a CapabilityStatement: is ${options.fhir} a FHIR base URL?`);
  }
  if (!capabilities.fhirVersion?.startsWith("4.0")) {
    throw new FatalError(`${options.fhir} speaks FHIR ${capabilities.fhirVersion ?? "(version not stated)"}, not R4 (4.0.x)`);
  }
  const software = [capabilities.software?.name, capabilities.software?.version].filter(Boolean).join(" ") || "FHIR server";
  const isLocalSandbox = capabilities.software?.name === LOCAL_SANDBOX_SOFTWARE && !!localSandboxUrl(options.fhir);

  let bearer = options.bearer;
  if (!bearer && isLocalSandbox) {
    bearer = await debugToken(localSandboxUrl(options.fhir)!, io.fetch);
    if (bearer) {
      client = new FhirClient(options.fhir, { bearer, fetch: io.fetch });
      header.push(`Token: from ${localSandboxUrl(options.fhir)}/debug/token (user/*.cruds; a convenience of the local sandbox only)`);
    }
  }

  header.push(
    `${options.dryRun ? "Dry run (nothing is written) against" : "Uploading to"} ${options.fhir} (${software}, FHIR ${capabilities.fhirVersion})`,
  );
  if (!supportsTransactions(capabilities))
    header.push("Warning: the CapabilityStatement does not list transaction; the server may refuse the uploads.");

  const total: Tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const seen = new Set<string>();
  /** Patients with nothing failed: the ones the launch links name. */
  const ready: string[] = [];
  const width = Math.max(...options.patients.map((p) => p.length));
  for (const id of options.patients) {
    const patient = demoPatient(id)!;
    // A resource shared by two demo patients is handled with the first.
    const resources = patient.resources.filter((r) => !seen.has(keyOf(r)));
    resources.forEach((r) => seen.add(keyOf(r)));
    const tally: Tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    const label = `${id}:`.padEnd(width + 1);

    let existing: Map<string, Resource>;
    try {
      existing = await readExisting(client, resources);
    } catch (e) {
      if (!(e instanceof PatientError)) throw e;
      tally.failed = resources.length;
      add(total, tally);
      out(`${label} ${resources.length} failed`);
      out(`  failed: ${e.message}`);
      continue;
    }
    const plan = planChanges(resources, existing, options.fhir);
    tally.unchanged = plan.unchanged;

    if (options.dryRun) {
      const creates = plan.changes.filter((c) => c.kind === "create").length;
      tally.created = creates;
      tally.updated = plan.changes.length - creates;
      add(total, tally);
      out(`${label} ${tally.created} to create, ${tally.updated} to update, ${tally.unchanged} unchanged`);
      list(
        out,
        plan.changes.map((c) => describeChange(c, "would")),
      );
      ready.push(id);
      continue;
    }

    const { notes, failures, transactionCount } = await send(client, plan.changes, options, tally);
    add(total, tally);
    const count = transactionCount > 1 ? ` (${transactionCount} transactions)` : "";
    out(
      `${label} ${tally.created} created, ${tally.updated} updated, ${tally.unchanged} unchanged${tally.failed ? `, ${tally.failed} failed` : ""}${count}`,
    );
    list(out, notes);
    for (const failure of failures) out(`  ${failure}`);
    if (!tally.failed) ready.push(id);
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (options.dryRun) {
    out(
      `Total (dry run): ${total.created} to create, ${total.updated} to update, ${total.unchanged} unchanged${total.failed ? `, ${total.failed} failed` : ""} (${seconds} s)`,
    );
  } else {
    out(
      `Total: ${total.created} created, ${total.updated} updated, ${total.unchanged} unchanged${total.failed ? `, ${total.failed} failed` : ""} (${seconds} s)`,
    );
    if (!total.created && !total.updated && !total.failed) out("Nothing was written: the server already has every demo resource as it is.");
  }
  out("");
  const iss = isLocalSandbox && capabilities.implementation?.url ? capabilities.implementation.url : options.fhir;
  for (const line of launchLinks({ fhirBase: options.fhir, iss, appUrl: options.appUrl, patients: ready })) out(line);
  return total.failed ? 1 : 0;
}

/**
 * Sends one patient's changes as transactions, one after the other; a refused transaction is noted
 * and the next one still goes. Counts into `tally`; returns the lines to list under the patient.
 */
async function send(client: FhirClient, changes: readonly Change[], options: Options, tally: Tally) {
  /** Updates and notes (the first few are listed), failures (all are). */
  const notes: string[] = [];
  const failures: string[] = [];
  const batches = transactions(changes, options.fhir, options.chunk);
  for (const [i, batch] of batches.entries()) {
    const where = `transaction ${i + 1}/${batches.length} (${batch.changes.length === 1 ? keyOf(batch.changes[0].resource) : `${batch.changes.length} entries`})`;
    let response: Bundle;
    try {
      response = await client.transaction(batch.bundle);
    } catch (e) {
      if (!(e instanceof HttpStatusError || e instanceof UnreachableError)) throw e;
      tally.failed += batch.changes.length;
      failures.push(`failed: ${where}: ${e instanceof UnreachableError ? `no answer (${e.message})` : e.message}`);
      continue;
    }
    if (response?.resourceType !== "Bundle" || response.entry?.length !== batch.changes.length) {
      tally.failed += batch.changes.length;
      failures.push(`failed: ${where}: the answer is not a transaction-response with one entry per request; run again to see what arrived`);
      continue;
    }
    batch.changes.forEach((change, j) => {
      const entry = response.entry![j];
      const status = entry.response?.status ?? "";
      if (!/^2/.test(status)) {
        tally.failed++;
        const text = entry.response?.outcome ? outcomeText(JSON.stringify(entry.response.outcome)) : "";
        failures.push(`failed: ${keyOf(change.resource)}: ${status || "no status"}${text ? `: ${text}` : ""}`);
        return;
      }
      tally[change.kind === "create" ? "created" : "updated"]++;
      if (change.kind === "update") notes.push(describeChange(change, "did"));
      const stored = entry.resource;
      const rewritten = stored && difference(change.resource, stored, options.fhir);
      if (rewritten)
        notes.push(`note: the server changed ${keyOf(change.resource)} on write (${rewritten}): it will show as updated on every run`);
    });
  }
  return { notes, failures, transactionCount: batches.length };
}

/** Reading failed for one patient (not for the whole server): report it and go on. */
class PatientError extends Error {}

/** The server's copies of `resources`, by "Type/id": `GET <type>?_id=a,b,c` in chunks. */
async function readExisting(client: FhirClient, resources: readonly Resource[]): Promise<Map<string, Resource>> {
  const byType = new Map<string, string[]>();
  for (const r of resources) {
    const ids = byType.get(r.resourceType) ?? [];
    ids.push(r.id!);
    byType.set(r.resourceType, ids);
  }
  const found = new Map<string, Resource>();
  for (const [type, ids] of byType) {
    for (const chunk of idChunks(ids)) {
      const list = await check(() => client.existing(type, chunk), client, `read ${type}`, PatientError);
      for (const r of list) found.set(keyOf(r), r);
    }
  }
  return found;
}

function idChunks(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of ids) {
    const cost = encodeURIComponent(id).length + 3;
    if (current.length >= IDS_PER_READ || (current.length && chars + cost > MAX_QUERY_CHARS)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += cost;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Runs a request; a server that cannot be reached or refuses the token (401) is fatal (exit 2).
 * Other errors, a 403 included (this token may not see that patient), become `otherwise` (a
 * PatientError for a read of one patient's data), or are fatal without it.
 */
async function check<T>(fn: () => Promise<T>, client: FhirClient, what: string, otherwise?: new (m: string) => Error): Promise<T> {
  const fhirBase = client.base;
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UnreachableError) throw new FatalError(`cannot reach ${fhirBase} (${e.message})`);
    if (!(e instanceof HttpStatusError)) throw e;
    const detail = e.detail ? `: ${e.detail}` : "";
    if (e.status === 401 && !client.hasToken)
      throw new FatalError(`${fhirBase} requires an access token (HTTP 401${detail}): pass one with --bearer${authHint(fhirBase)}`);
    if (e.status === 401) throw new FatalError(`${fhirBase} refused the access token (HTTP 401${detail})${authHint(fhirBase)}`);
    if (otherwise) throw new otherwise(`could not ${what}: ${e.message}`);
    if (e.status === 403) throw new FatalError(`${fhirBase} does not let this token ${what} (HTTP 403${detail})`);
    throw new FatalError(`could not ${what} at ${fhirBase}: ${e.message}`);
  }
}

function authHint(fhirBase: string): string {
  const sandbox = localSandboxUrl(fhirBase);
  return sandbox ? `; a local sandbox gives one with: curl -X POST ${sandbox}/debug/token` : "";
}

/** POST /debug/token of a local sandbox; undefined if it does not answer with a token. */
async function debugToken(sandboxUrl: string, fetchImpl: typeof fetch = fetch): Promise<string | undefined> {
  try {
    const res = await fetchImpl(`${sandboxUrl}/debug/token`, { method: "POST", signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return undefined;
    const json = (await res.json()) as { access_token?: unknown };
    return typeof json.access_token === "string" ? json.access_token : undefined;
  } catch {
    return undefined;
  }
}

function supportsTransactions(cs: CapabilityStatement): boolean {
  return (cs.rest ?? []).some((r) => (r.interaction ?? []).some((i) => i.code === "transaction"));
}

function describeChange(change: Change, mode: "would" | "did"): string {
  const key = keyOf(change.resource);
  if (change.kind === "create") return `${mode === "would" ? "create" : "created"} ${key}`;
  return mode === "would" ? `update ${key} (${change.path} differs)` : `updated ${key} (${change.path} differed)`;
}

function list(out: (line: string) => void, items: readonly string[]): void {
  for (const item of items.slice(0, LIST_LIMIT)) out(`  ${item}`);
  if (items.length > LIST_LIMIT) out(`  … and ${items.length - LIST_LIMIT} more`);
}

function add(total: Tally, t: Tally): void {
  total.created += t.created;
  total.updated += t.updated;
  total.unchanged += t.unchanged;
  total.failed += t.failed;
}
