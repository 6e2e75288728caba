/**
 * index.html: completes the SMART launch exactly once per page load (here, at module evaluation,
 * not in a React effect that may run twice), reading the deployment's settings in parallel. React
 * renders once the session has settled, after the record's load has started (ui/app/session.ts);
 * until then index.html's own markup says "Signing in".
 */
import FHIR from "fhirclient";
import { createRoot } from "react-dom/client";
import { loadSmartConfig } from "./session/config";
import { problems } from "./session/problems";
import { completeLaunch } from "./session/ready";
import { App } from "./ui/app/App";
import { startSession, type SessionOutcome } from "./ui/app/session";

const launch = completeLaunch(new URL(window.location.href), () => FHIR.oauth2.ready());
const config = loadSmartConfig(window.location.href);

void startSession(launch, config)
  .catch((error: unknown): SessionOutcome => ({ phase: "problem", problem: problems.unexpected(String(error)) }))
  .then((session) => createRoot(document.getElementById("root") as HTMLElement).render(<App session={session} />));
