import { useEffect, useState } from "react";
import CssBaseline from "@mui/material/CssBaseline";
import LinearProgress from "@mui/material/LinearProgress";
import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { ThemeProvider } from "@mui/material/styles";
import type Client from "fhirclient/lib/Client";
import type { ReadyOutcome } from "../../session/ready";
import { problems, type Problem } from "../../session/problems";
import { guardAgainstOtherPatientTabs } from "../../session/tab-guard";
import { ProblemScreen } from "../errors/ProblemScreen";
import { RecordScreen } from "../record/RecordScreen";
import { themeFromSmartStyle, type SmartStyle } from "../theme";
import { useSmartStyle } from "./useSmartStyle";

type AppState = { phase: "starting" } | { phase: "problem"; problem: Problem } | { phase: "ready"; client: Client };

/** Local calendar date: the clinician's "today" is the assessment's as-of date. */
function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function App({ launch }: { launch: Promise<ReadyOutcome> }) {
  const [state, setState] = useState<AppState>({ phase: "starting" });

  useEffect(() => {
    let active = true;
    void launch.then((outcome) => {
      if (!active) return;
      setState(outcome.ok ? { phase: "ready", client: outcome.client } : { phase: "problem", problem: outcome.problem });
    });
    return () => {
      active = false;
    };
  }, [launch]);

  const client = state.phase === "ready" ? state.client : null;
  useEffect(() => {
    if (!client?.patient.id) return;
    const thisPatient = client.patient.id;
    return guardAgainstOtherPatientTabs(thisPatient, client.state.serverUrl, (otherPatient) =>
      setState({ phase: "problem", problem: problems.otherPatientTab(otherPatient, thisPatient) }),
    );
  }, [client]);

  const style: SmartStyle | undefined = useSmartStyle(client);
  const theme = themeFromSmartStyle(style);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {/* data-app-phase lets tests and support staff tell the three phases apart. */}
      <div data-app-phase={state.phase}>
      {state.phase === "starting" && (
        <Box component="main" sx={{ p: 2 }} aria-busy="true">
          <Typography variant="h6" component="h1">
            Signing in to the EHR…
          </Typography>
          <LinearProgress aria-label="Signing in" sx={{ mt: 1 }} />
        </Box>
      )}
      {state.phase === "problem" && <ProblemScreen problem={state.problem} />}
      {state.phase === "ready" && (
        <RecordScreen
          client={state.client}
          asOf={todayIso()}
          needPatientBanner={state.client.state.tokenResponse?.need_patient_banner !== false}
          onSessionExpired={() => setState({ phase: "problem", problem: problems.sessionExpired() })}
          onPatientMismatch={(received) =>
            setState({ phase: "problem", problem: problems.patientMismatch(state.client.patient.id ?? "unknown", received) })
          }
        />
      )}
      </div>
    </ThemeProvider>
  );
}
