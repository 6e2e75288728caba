/**
 * Command-line options of `npm run load-demo`. Throws UsageError (one line) for anything wrong.
 */
import { DEMO_PATIENT_IDS } from "../../sandbox/data/index";
import { LARGE_ID } from "../../sandbox/data/large";

export const USAGE = `Usage: npm run load-demo -- --fhir <FHIR base URL> [options]

Uploads the local sandbox's demo patients to a FHIR R4 server with their own ids (transactions of
PUT <type>/<id>), sending only what is missing or different: running it twice changes nothing.

Options:
  --fhir URL          FHIR base URL (required), e.g. http://localhost:4010/fhir
  --bearer TOKEN      access token sent as "Authorization: Bearer TOKEN". Without it, a local
                      sandbox is asked for one (POST /debug/token); other servers get no token.
  --patients a,b      demo patients to upload (default: all):
                      ${DEMO_PATIENT_IDS.join(", ")}
  --skip-large        leave out the large patient (about 6,200 resources)
  --chunk N           entries per transaction (default 200)
  --dry-run           compare and print what would change; write nothing
  --app-url URL       where the app is served, for the launch links (default http://localhost:5173/;
                      its launch page is <URL>launch.html)
  --help              this text

Exit codes: 0 done; 1 some resources could not be written (see the report); 2 bad arguments, or
the server could not be reached or refused the token; 70 an internal error.`;

export interface Options {
  fhir: string;
  bearer?: string;
  patients: string[];
  chunk: number;
  dryRun: boolean;
  appUrl: string;
}

export class UsageError extends Error {}

const VALUED = new Set(["--fhir", "--bearer", "--patients", "--chunk", "--app-url"]);
const FLAGS = new Set(["--skip-large", "--dry-run", "--help"]);

/** Parses argv (without node and the script); "help" when --help was asked. */
export function parseArgs(argv: readonly string[]): Options | "help" {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const [name, inline] = arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (FLAGS.has(name) && inline === undefined) {
      flags.add(name);
    } else if (VALUED.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new UsageError(`${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown argument "${arg}" (see --help)`);
    }
  }
  if (flags.has("--help")) return "help";

  const fhir = values.get("--fhir");
  if (!fhir) throw new UsageError("--fhir <FHIR base URL> is required, e.g. --fhir http://localhost:4010/fhir");
  const chunkText = values.get("--chunk") ?? "200";
  if (!/^\d+$/.test(chunkText) || Number(chunkText) < 1 || Number(chunkText) > 1000) {
    throw new UsageError(`--chunk must be a whole number from 1 to 1000, got "${chunkText}"`);
  }
  let patients = [...DEMO_PATIENT_IDS];
  const chosen = values.get("--patients");
  if (chosen !== undefined) {
    patients = [
      ...new Set(
        chosen
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    const unknown = patients.filter((id) => !DEMO_PATIENT_IDS.includes(id));
    if (unknown.length) throw new UsageError(`unknown demo patient "${unknown[0]}" (known: ${DEMO_PATIENT_IDS.join(", ")})`);
    if (!patients.length) throw new UsageError("--patients needs at least one demo patient id");
  }
  if (flags.has("--skip-large")) patients = patients.filter((id) => id !== LARGE_ID);
  if (!patients.length) throw new UsageError("no demo patient left to upload");
  return {
    fhir: httpUrl(fhir, "--fhir").replace(/\/+$/, ""),
    bearer: values.get("--bearer"),
    patients,
    chunk: Number(chunkText),
    dryRun: flags.has("--dry-run"),
    appUrl: directory(httpUrl(values.get("--app-url") ?? "http://localhost:5173/", "--app-url")),
  };
}

function httpUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${option} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`${option} must be an http(s) URL, got "${value}"`);
  if (url.username || url.password) throw new UsageError(`${option} must not carry a user name or password`);
  return url.href;
}

/** The app's base as a directory URL, so that "launch.html" resolves inside it. */
function directory(href: string): string {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  // A page (…/launch.html) stands for its directory.
  if (/\.html?$/i.test(url.pathname)) url.pathname = url.pathname.replace(/[^/]*$/, "");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}
