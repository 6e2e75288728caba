import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import CssBaseline from "@mui/material/CssBaseline";
import Typography from "@mui/material/Typography";
import { ThemeProvider } from "@mui/material/styles";
import { problems } from "../../session/problems";
import { guardAgainstOtherPatientTabs } from "../../session/tab-guard";
import { ErrorBoundary } from "../errors/ErrorBoundary";
import { ProblemScreen } from "../errors/ProblemScreen";
import { RecordScreen } from "../record/RecordScreen";
import { themeFromSmartStyle, type SmartStyle } from "../theme";
import { loadOptionsFor, type SessionOutcome } from "./session";
import { useSmartStyle } from "./useSmartStyle";

/**
 * The write-back review (dialog, plan, submit) loads on its own chunk once the record is complete:
 * it is not needed for the first paint of the assessment.
 */
const WriteBack = lazy(() => import("./WriteBack").then((m) => ({ default: m.WriteBack })));

/** Local calendar date: the clinician's "today" is the assessment's as-of date. */
function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The app once the launch has settled (main.tsx renders it then; index.html shows "Signing in"
 * until that moment): the record screen, or a problem screen.
 */
export function App({ session }: { session: SessionOutcome }) {
  const [state, setState] = useState<SessionOutcome>(session);

  const client = state.phase === "ready" ? state.client : null;
  // The session's load ends with it (a problem screen replaced the record, or the app closed).
  const load = state.phase === "ready" ? state.load : null;
  useEffect(() => () => load?.abort(), [load]);
  useEffect(() => {
    if (!client?.patient.id) return;
    const thisPatient = client.patient.id;
    return guardAgainstOtherPatientTabs(thisPatient, client.state.serverUrl, (otherPatient) =>
      setState({ phase: "problem", problem: problems.otherPatientTab(otherPatient, thisPatient) }),
    );
  }, [client]);

  const style: SmartStyle | undefined = useSmartStyle(client);
  const showSessionExpired = () => setState({ phase: "problem", problem: problems.sessionExpired() });
  const theme = useMemo(() => themeFromSmartStyle(style), [style]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {/* data-app-phase lets tests and support staff tell the phases apart ("starting" is index.html's markup). */}
      <div data-app-phase={state.phase}>
        {state.phase === "problem" && <ProblemScreen problem={state.problem} />}
        {state.phase === "ready" && (
          <ErrorBoundary what="The record screen">
            <RecordScreen
              client={state.client}
              asOf={todayIso()}
              needPatientBanner={state.client.state.tokenResponse?.need_patient_banner !== false}
              loadOptions={loadOptionsFor(state.ehr)}
              startLoad={state.load.start}
              onSessionExpired={showSessionExpired}
              onPatientMismatch={(received) =>
                setState({ phase: "problem", problem: problems.patientMismatch(state.client.patient.id ?? "unknown", received) })
              }
              writeBackSlot={(assessment, snapshot) => (
                <Suspense fallback={<Typography variant="body2">Loading the write-back review…</Typography>}>
                  <WriteBack client={state.client} appUrl={state.appUrl} assessment={assessment} snapshot={snapshot} />
                </Suspense>
              )}
            />
          </ErrorBoundary>
        )}
      </div>
    </ThemeProvider>
  );
}
