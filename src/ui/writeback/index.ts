import type { WriteContext } from "../../writeback/types";

export { WriteBackPanel, type WriteBackPanelProps } from "./WriteBackPanel";
export { WriteBackContainer, type WriteBackContainerProps } from "./WriteBackContainer";

/** The parts of a fhirclient Client the launch context is read from. */
interface LaunchClient {
  patient: { id: string | null };
  encounter?: { id: string | null };
  user?: { fhirUser: string | null };
  getFhirUser?(): string | null;
  state: { tokenResponse?: { scope?: string } };
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
