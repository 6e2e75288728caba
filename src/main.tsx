/**
 * index.html: completes the SMART launch exactly once per page load (here, at module evaluation,
 * not in a React effect that may run twice), reading the deployment's settings in parallel, then
 * renders the app.
 */
import FHIR from "fhirclient";
import { createRoot } from "react-dom/client";
import { loadSmartConfig } from "./session/config";
import { completeLaunch } from "./session/ready";
import { App } from "./ui/app/App";

const launch = completeLaunch(new URL(window.location.href), () => FHIR.oauth2.ready());
const config = loadSmartConfig(window.location.href);

createRoot(document.getElementById("root") as HTMLElement).render(<App launch={launch} config={config} />);
