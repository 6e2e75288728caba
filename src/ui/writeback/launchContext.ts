import type { WriteContext } from "../../writeback/types";

/**
 * What the write-back reads from a launched fhirclient Client: the launch context, the granted
 * scopes, and whether the app can start a relaunch itself.
 */

/** The parts of a fhirclient Client the launch context is read from. */
export interface LaunchClient {
  patient: { id: string | null };
  encounter?: { id: string | null };
  user?: { fhirUser: string | null };
  getFhirUser?(): string | null;
  state: { serverUrl?: string; scope?: string; tokenResponse?: { scope?: string } };
}

/**
 * The write-back context from a launched fhirclient Client. `appUrl` must be the app's stable,
 * canonical URL (identifier systems live under it: the same finding must get the same identifier
 * whichever copy of the build sends it), e.g. from smart-config.json, not `location.href`.
 */
export function writeBackContext(
  client: LaunchClient,
  app: { appUrl: string; appVersion: string; appName?: string },
): Omit<WriteContext, "now"> {
  return {
    patientId: client.patient.id ?? "",
    fhirUser: client.user?.fhirUser ?? client.getFhirUser?.() ?? null,
    encounterId: client.encounter?.id ?? null,
    appUrl: app.appUrl,
    appVersion: app.appVersion,
    ...(app.appName ? { appName: app.appName } : {}),
  };
}

/** The granted scopes of the token response (what the UI adapts to). */
export function grantedScopesOf(client: LaunchClient): string {
  return client.state.tokenResponse?.scope ?? "";
}

/**
 * Where a relaunch can start, or null when only the EHR can start it. An EHR launch needs a fresh
 * `launch` token that only the EHR issues, so the app cannot repeat it. A standalone launch (the
 * session asked for `launch/patient`) is repeated by launch.html with the same issuer: the EHR signs
 * the user in and asks for the patient again. `pageUrl` is the app page (launch.html is its sibling).
 */
export function relaunchHref(client: LaunchClient, pageUrl: string): string | null {
  const scopes = new Set(`${client.state.scope ?? ""} ${client.state.tokenResponse?.scope ?? ""}`.split(/\s+/).filter(Boolean));
  const iss = client.state.serverUrl;
  if (!iss || !/^https?:\/\//i.test(iss) || scopes.has("launch") || !scopes.has("launch/patient")) return null;
  const url = new URL("launch.html", pageUrl);
  url.search = new URLSearchParams({ iss }).toString();
  return url.href;
}
