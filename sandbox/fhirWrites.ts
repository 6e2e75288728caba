/**
 * Writes: create (If-None-Exist honoured unless the server is basic), update (201 for an
 * update-as-create), and transaction or batch Bundles, all-or-nothing for a transaction.
 */
import { created, getStatus, isOk } from "@medplum/core";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import type { ScopedRepository } from "./access";
import type { FhirDeps } from "./fhirDeps";
import { answer, fhirRequest, jsonBody, preferOf, sendFhir } from "./fhirMessages";
import { HttpError } from "./http";
import type { SandboxStore } from "./store";

export async function create(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  repo: ScopedRepository,
  deps: FhirDeps,
): Promise<void> {
  const body = await jsonBody(req);
  const headers: Record<string, string> = {};
  const ifNoneExist = req.headers["if-none-exist"];
  // A server without conditional create ignores the header (and creates a duplicate).
  if (typeof ifNoneExist === "string" && !deps.basic) headers["if-none-exist"] = ifNoneExist;
  const [outcome, resource] = await deps.writeLock.run(() =>
    deps.router.handleRequest({ ...fhirRequest("POST", `/${type}`), body, headers }, repo),
  );
  return answer(res, deps.endpoints.fhirBase, outcome as OperationOutcome, resource as Resource | undefined, preferOf(req));
}

/** PUT <type>/<id>: update, or update-as-create (201) when the id is new. If-Match is honoured. */
export async function update(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  id: string,
  repo: ScopedRepository,
  deps: FhirDeps,
): Promise<void> {
  const body = await jsonBody(req);
  const ifMatch = req.headers["if-match"];
  const headers: Record<string, string> = typeof ifMatch === "string" ? { "if-match": ifMatch } : {};
  const [outcome, resource, isNew] = await deps.writeLock.run(async () => {
    const isNew = !deps.store.peek(type, id);
    const [o, r] = await deps.router.handleRequest({ ...fhirRequest("PUT", `/${type}/${id}`), body, headers }, repo);
    return [o, r, isNew] as const;
  });
  const status = isOk(outcome) && isNew ? created : outcome;
  return answer(res, deps.endpoints.fhirBase, status as OperationOutcome, resource as Resource | undefined, preferOf(req));
}

export async function bundle(req: IncomingMessage, res: ServerResponse, repo: ScopedRepository, deps: FhirDeps): Promise<void> {
  const body = (await jsonBody(req)) as Bundle;
  if (body?.resourceType !== "Bundle" || (body.type !== "transaction" && body.type !== "batch")) {
    throw new HttpError(400, "POST to the base URL takes a Bundle of type transaction or batch");
  }
  if (deps.basic) throw new HttpError(405, "This server does not support transaction or batch Bundles (capabilities=basic)");
  // Medplum would resolve a conditional update to a plain one; the sandbox does not offer it.
  const conditional = body.entry?.findIndex((e) => e.request?.method === "PUT" && e.request.url?.includes("?")) ?? -1;
  if (conditional >= 0)
    throw new HttpError(400, `Bundle.entry[${conditional}]: conditional update is not supported by this server (PUT <type>/<id> is)`);
  await deps.writeLock.run(async () => {
    const checkpoint = deps.store.checkpoint();
    // Medplum processes the Bundle entry by entry (urn:uuid links resolved, If-None-Exist honoured).
    // Its own transaction mode refuses more than 8 conditional entries (a Postgres isolation limit),
    // so the Bundle runs in batch mode and all-or-nothing is done here: one failed entry undoes
    // every write of the transaction, and the answer is that entry's error.
    const [outcome, result] = await deps.router.handleRequest({ ...fhirRequest("POST", "/"), body }, repo);
    const response = result as Bundle | undefined;
    const failed = response?.entry?.find((e) => !/^2/.test(e.response?.status ?? ""));
    if (!isOk(outcome) || (body.type === "transaction" && failed)) {
      await deps.store.rollbackTo(checkpoint);
      const error = (failed?.response?.outcome as OperationOutcome | undefined) ?? (outcome as OperationOutcome);
      const status = failed ? Number(failed.response!.status.split(" ")[0]) || 400 : getStatus(outcome);
      return sendFhir(res, status, error);
    }
    markCreated(body, response, deps.store, checkpoint);
    sendFhir(res, 200, response);
  });
}

/**
 * Medplum answers every update entry "200"; an update that created the resource (its id was new)
 * is a "201" in FHIR, as for a single PUT. The write log since `checkpoint` tells which.
 */
function markCreated(request: Bundle, response: Bundle | undefined, store: SandboxStore, checkpoint: number): void {
  const createdKeys = new Set<string>();
  const seen = new Set<string>();
  for (const { resource, previous } of store.writes().slice(checkpoint)) {
    const key = `${resource.resourceType}/${resource.id}`;
    if (!seen.has(key) && !previous) createdKeys.add(key);
    seen.add(key);
  }
  response?.entry?.forEach((entry, i) => {
    const r = entry.response;
    if (request.entry?.[i]?.request?.method !== "PUT") return;
    if (r?.status === "200" && r.location && createdKeys.has(r.location)) r.status = "201";
  });
}
