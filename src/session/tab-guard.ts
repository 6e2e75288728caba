/**
 * Detects a newer launch of this app for another patient in the same browser. fhirclient keeps each
 * tab's session apart, so both tabs would keep working: the older one is stopped instead, so that a
 * clinician cannot read or write one patient's findings while thinking of another.
 */
const CHANNEL = "calcinosis-app-session";

interface LaunchAnnouncement {
  type: "launched";
  patientId: string;
  serverUrl: string;
}

/** Announces this tab's patient and calls `onOtherPatient` when a newer tab shows someone else. */
export function guardAgainstOtherPatientTabs(
  patientId: string,
  serverUrl: string,
  onOtherPatient: (otherPatientId: string) => void,
): () => void {
  if (typeof BroadcastChannel === "undefined") return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<LaunchAnnouncement>) => {
    const message = event.data;
    if (message?.type !== "launched") return;
    if (message.serverUrl !== serverUrl || message.patientId !== patientId) onOtherPatient(message.patientId);
  };
  channel.postMessage({ type: "launched", patientId, serverUrl } satisfies LaunchAnnouncement);
  return () => channel.close();
}
