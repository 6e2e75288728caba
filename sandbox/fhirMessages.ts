/** The FHIR endpoint's request bodies and answers: JSON and form bodies in, resources and outcomes out with their headers. */
import { getStatus, isOk } from "@medplum/core";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OperationOutcome, Resource } from "fhir/r4";
import { FHIR_JSON, HttpError, readBody, send } from "./http";

export function sendFhir(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, body === undefined ? "" : JSON.stringify(body), FHIR_JSON, headers);
}

/**
 * Sends a router answer: the resource (or the OperationOutcome on error). `prefer` is given for
 * creates and updates: Location and the Prefer header's choice of body (representation by default).
 */
export function answer(res: ServerResponse, fhirBase: string, outcome: OperationOutcome, resource?: Resource, prefer?: string): void {
  const status = getStatus(outcome as Parameters<typeof getStatus>[0]);
  if (!isOk(outcome as Parameters<typeof isOk>[0]) || !resource) return sendFhir(res, status, outcome);
  const headers: Record<string, string> = {};
  const version = resource.meta?.versionId;
  if (prefer !== undefined) {
    headers.Location = `${fhirBase}/${resource.resourceType}/${resource.id}${version ? `/_history/${version}` : ""}`;
  }
  Object.assign(headers, versionHeaders(resource));
  if (prefer === "minimal") return sendFhir(res, status, undefined, headers);
  if (prefer === "OperationOutcome") return sendFhir(res, status, outcome, headers);
  sendFhir(res, status, resource, headers);
}

export function versionHeaders(resource: Resource): Record<string, string> {
  const headers: Record<string, string> = {};
  if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
  if (resource.meta?.lastUpdated) headers["Last-Modified"] = new Date(resource.meta.lastUpdated).toUTCString();
  return headers;
}

export function preferOf(req: IncomingMessage): string {
  return /return=(minimal|representation|OperationOutcome)/.exec(String(req.headers.prefer ?? ""))?.[1] ?? "representation";
}

export function fhirRequest(method: "GET" | "POST" | "PUT", url: string) {
  // config.transactions stays off: see bundle() for why and how transactions are atomic anyway.
  return { method, url, pathname: "", params: {}, query: {}, body: undefined as unknown, headers: {}, config: { transactions: false } };
}

export async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/fhir+json" && type !== "application/json") {
    throw new HttpError(415, "The body must be application/fhir+json");
  }
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "The request body is not valid JSON");
  }
}

export async function formBody(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded")
    throw new HttpError(415, "POST _search takes an application/x-www-form-urlencoded body");
  const q = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(await readBody(req))) q.append(k, v);
  return q;
}
