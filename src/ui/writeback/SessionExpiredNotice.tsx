import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Button from "@mui/material/Button";

/**
 * Shown where the write-back sits when the session expired during a send: the record stays on
 * screen, read-only. A SMART relaunch is the EHR's job; the app offers to start one itself only
 * when it can (a standalone launch, which launch.html repeats with the same issuer), else it says
 * where to relaunch from.
 */
export function SessionExpiredNotice({ relaunchHref, during = "send" }: { relaunchHref: string | null; during?: "load" | "send" }) {
  return (
    <Alert
      severity="warning"
      variant="outlined"
      action={
        relaunchHref ? (
          <Button color="inherit" size="small" href={relaunchHref}>
            Relaunch
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>Session expired: relaunch from the EHR</AlertTitle>
      {(during === "load"
        ? "The EHR ended this app's access before the whole record was loaded. What was loaded stays on screen, read-only; " +
          "the searches it cut short are listed under Data and its quality, and nothing can be sent from this page. "
        : "The EHR ended this app's access. The record stays on screen as it was loaded, read-only: nothing more can be sent from this page. " +
          "The draft and what the EHR saved are kept for the relaunch, and sending again never makes a copy. ") +
        (relaunchHref
          ? "Relaunch signs in again through the EHR and reopens the app; choose the same patient."
          : "Open the patient's chart in the EHR and launch the app from there: only the EHR can start that launch.")}
    </Alert>
  );
}
