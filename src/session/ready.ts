import type Client from "fhirclient/lib/Client";
import { problems, type Problem } from "./problems";

export type ReadyOutcome = { ok: true; client: Client } | { ok: false; problem: Problem };

interface HttpErrorLike extends Error {
  statusCode?: number;
  parse?: () => Promise<unknown>;
}

/**
 * Completes the SMART launch on the redirect page and turns every way it can fail into a specific
 * Problem. `ready` is fhirclient's FHIR.oauth2.ready, passed in so the caller decides when it runs
 * (exactly once per page load).
 */
export async function completeLaunch(url: URL, ready: () => Promise<Client>): Promise<ReadyOutcome> {
  const error = url.searchParams.get("error");
  if (error) {
    return { ok: false, problem: problems.authorizationRefused(error, url.searchParams.get("error_description")) };
  }
  const hadCode = url.searchParams.has("code");
  let client: Client;
  try {
    client = await ready();
  } catch (caught) {
    return { ok: false, problem: await problemFromReadyError(caught as HttpErrorLike, hadCode) };
  }
  if (!client.patient.id) return { ok: false, problem: problems.noPatient() };
  return { ok: true, client };
}

async function problemFromReadyError(error: HttpErrorLike, hadCode: boolean): Promise<Problem> {
  const message = String(error?.message ?? error);
  if (/No 'state' parameter found|No state found/i.test(message)) return problems.stateMissing();
  if (hadCode && typeof error.statusCode === "number") {
    if (typeof error.parse === "function") await error.parse().catch(() => undefined);
    return problems.tokenRefused(String(error.message));
  }
  if (/Failed to obtain access token/i.test(message)) return problems.tokenRefused(message);
  return problems.unexpected(message);
}
