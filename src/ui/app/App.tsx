import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import CssBaseline from "@mui/material/CssBaseline";
import LinearProgress from "@mui/material/LinearProgress";
import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { ThemeProvider } from "@mui/material/styles";
import type Client from "fhirclient/lib/Client";
import { browserExtractor } from "../../documents/browser";
import { findEhr, type EhrEntry, type SmartConfig } from "../../session/config";
import type { ReadyOutcome } from "../../session/ready";
import { problems, type Problem } from "../../session/problems";
import { guardAgainstOtherPatientTabs } from "../../session/tab-guard";
import { ErrorBoundary } from "../errors/ErrorBoundary";
import { ProblemScreen } from "../errors/ProblemScreen";
import { RecordScreen } from "../record/RecordScreen";
import { themeFromSmartStyle, type SmartStyle } from "../theme";
import { useSmartStyle } from "./useSmartStyle";

/**
 * The write-back review (dialog, plan, submit) loads on its own chunk once the record is complete:
 * it is not needed for the first paint of the assessment.
 */
const WriteBack = lazy(() => import("./WriteBack").then((m) => ({ default: m.WriteBack })));

/** A launched session: the client, and the deployment settings of its EHR. */
interface Session {
  client: Client;
  ehr: EhrEntry;
  /** Canonical app URL for identifiers of written resources (smart-config.json appUrl). */
  appUrl: string;
}

type AppState = { phase: "starting" } | { phase: "problem"; problem: Problem } | ({ phase: "ready" } & Session);

async function startSession(launch: Promise<ReadyOutcome>, config: Promise<SmartConfig>): Promise<AppState> {
  const outcome = await launch;
  if (!outcome.ok) return { phase: "problem", problem: outcome.problem };
  let settings: SmartConfig;
  try {
    settings = await config;
  } catch (error) {
    return { phase: "problem", problem: problems.configUnreadable((error as Error).message) };
  }
  const serverUrl = outcome.client.state.serverUrl;
  const ehr = findEhr(settings, serverUrl);
  // The launch page checked the issuer; the config may have been edited since.
  if (!ehr) return { phase: "problem", problem: problems.unknownIssuer(serverUrl) };
  return { phase: "ready", client: outcome.client, ehr, appUrl: settings.appUrl ?? new URL(".", window.location.href).href };
}

/** Attachments to text, in the browser (pdf.js loads in its own worker on the first PDF only). */
const documentReader = browserExtractor();

/** Local calendar date: the clinician's "today" is the assessment's as-of date. */
function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function App({ launch, config }: { launch: Promise<ReadyOutcome>; config: Promise<SmartConfig> }) {
  const [state, setState] = useState<AppState>({ phase: "starting" });

  useEffect(() => {
    let active = true;
    void startSession(launch, config).then((next) => {
      if (active) setState(next);
    });
    return () => {
      active = false;
    };
  }, [launch, config]);

  const client = state.phase === "ready" ? state.client : null;
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
          <ErrorBoundary what="The record screen">
            <RecordScreen
              client={state.client}
              asOf={todayIso()}
              needPatientBanner={state.client.state.tokenResponse?.need_patient_banner !== false}
              loadOptions={{ quirks: state.ehr.quirks, extractor: documentReader }}
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
