import { useEffect, useRef, type ReactNode } from "react";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import type Client from "fhirclient/lib/Client";
import type { Assessment } from "../../clinical/types";
import type { LoadOptions } from "../../fhir";
import type { LoadSnapshot } from "../../fhir/types";
import { SessionExpiredNotice } from "../writeback/SessionExpiredNotice";
import { relaunchHref } from "../writeback/launchContext";
import { RecordView } from "./RecordView";
import { backgroundAssess } from "./assess/assessClient";
import { useRecord, type UseRecordOptions } from "./useRecord";

export interface RecordScreenProps {
  client: Client;
  /** ISO date (YYYY-MM-DD) the assessment is made as of. */
  asOf: string;
  /** From the launch context (`need_patient_banner`). */
  needPatientBanner: boolean;
  /** Called once when the loader reports a 401 the session cannot recover from. */
  onSessionExpired(): void;
  /**
   * Called once when the record the EHR returned is not the launch patient's: the Patient read
   * came back with another id (dropped by the loader as a stray) or the loader ran for another id.
   */
  onPatientMismatch?(receivedPatientId: string): void;
  /** The write-back review entry point (rendered once loading is complete). */
  /** Rendered once loading is complete; gets the snapshot for the server capabilities it holds. */
  writeBackSlot?: (a: Assessment, snapshot: LoadSnapshot) => ReactNode;
  /** Passed to the loader (e.g. the EHR's `quirks` from smart-config.json). */
  loadOptions?: Omit<LoadOptions, "signal">;
  /** Takes over a load already under way (App starts it with the session, earlyLoad.ts). */
  startLoad?: UseRecordOptions["start"];
  /** For tests only: replace the loader or the engine. */
  testHooks?: Pick<UseRecordOptions, "start" | "assessFn" | "throttleMs" | "adaptive">;
}

/**
 * The id of the patient the EHR actually returned, when it is not the launch patient; else null.
 * Checked on the loader's snapshot: its patientId, and a Patient stray with no launch Patient.
 */
export function patientMismatch(launchPatientId: string | null, snapshot: LoadSnapshot, patientLoaded: boolean): string | null {
  if (!launchPatientId) return null;
  if (snapshot.patientId && snapshot.patientId !== launchPatientId) return snapshot.patientId;
  if (!patientLoaded) {
    const stray = snapshot.strays.find((r) => r.startsWith("Patient/"));
    if (stray) return stray.slice("Patient/".length);
  }
  return null;
}

/** The clinician's screen for a launched patient: loads through src/fhir, assesses, renders. */
export function RecordScreen(props: RecordScreenProps) {
  const rec = useRecord(props.client as unknown as Parameters<typeof useRecord>[0], {
    asOf: props.asOf,
    onSessionExpired: props.onSessionExpired,
    loadOptions: props.loadOptions,
    start: props.startLoad,
    // The engine runs in a Web Worker, off the thread that reads the pages and paints.
    assessFn: backgroundAssess(),
    ...props.testHooks,
  });
  const mismatch = patientMismatch(props.client.patient?.id ?? null, rec.snapshot, !!rec.patient);
  const reported = useRef(false);
  const onMismatch = props.onPatientMismatch;
  useEffect(() => {
    if (mismatch && onMismatch && !reported.current) {
      reported.current = true;
      onMismatch(mismatch);
    }
  }, [mismatch, onMismatch]);
  return (
    <>
      {rec.loadError && (
        <Box sx={{ p: { xs: 1, sm: 2 } }} className="no-print">
          <Alert
            severity="error"
            variant="outlined"
            action={
              <Button color="inherit" size="small" onClick={rec.retry}>
                Try again
              </Button>
            }
          >
            The record could not be loaded: {rec.loadError}
          </Alert>
        </Box>
      )}
      {rec.sessionExpired && (
        <Box sx={{ p: { xs: 1, sm: 2 }, pb: { xs: 0, sm: 0 } }} className="no-print" data-testid="load-session-expired">
          <SessionExpiredNotice relaunchHref={relaunchHref(props.client, window.location.href)} during="load" />
        </Box>
      )}
      <RecordView
        patient={rec.patient}
        assessment={rec.assessment}
        snapshot={rec.snapshot}
        resourcesById={rec.resourcesById}
        asOf={props.asOf}
        needPatientBanner={props.needPatientBanner}
        writeBackSlot={rec.sessionExpired ? undefined : props.writeBackSlot}
        assessError={rec.assessError}
        onRetrySearches={rec.sessionExpired ? undefined : rec.retrySearches}
      />
    </>
  );
}

export default RecordScreen;
