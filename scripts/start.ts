/**
 * `npm start`: the local SMART EHR sandbox and the app (Vite dev server) together, on two origins
 * so CORS is real. Ctrl-C stops both.
 */
import { createServer } from "vite";
import { optionsFromEnv } from "../sandbox/options";
import { startSandbox } from "../sandbox/server";
import { parseCommandLine } from "./args";
import { developmentConfig } from "./dev-config";

const USAGE = `Usage: npm start

Runs the app (Vite dev server, http://localhost:5173) and the local SMART EHR sandbox
(http://localhost:4010) together; open the sandbox's page, pick a demo patient and launch.
The app reads scripts/smart-config.development.json (the local sandbox, the public SMART sandbox),
not public/'s production template. Ctrl-C stops both. Settings are environment variables:

  APP_PORT=5173       the app's port
  SANDBOX_PORT=4010   the sandbox's port; the other SANDBOX_* variables of \`npm run sandbox -- --help\`
                      apply too (latency, faults, capabilities, token lifetime)

  --help              this text`;

parseCommandLine("start", USAGE, { options: {} });

const appPort = Number(process.env.APP_PORT ?? 5173);
const appOrigin = `http://localhost:${appPort}`;

// SANDBOX_PORT, SANDBOX_LATENCY_MS, SANDBOX_FAULT_*, SANDBOX_CAPABILITIES… as for `npm run sandbox`.
const sandbox = await startSandbox({ ...optionsFromEnv(), appOrigin });
const vite = await createServer({ plugins: [developmentConfig()], server: { port: appPort, host: "127.0.0.1", strictPort: true } });
await vite.listen();

console.info(`
  Calcinosis app:   ${appOrigin}/launch.html
  Local SMART EHR:  ${sandbox.url}/   <- open this, pick a demo patient, click "Launch (EHR)"
  FHIR base (iss):  ${sandbox.fhirBase}
`);

async function stop() {
  await Promise.allSettled([vite.close(), sandbox.close()]);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
