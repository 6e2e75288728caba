/** Arguments of `npm run screen` (see SCREEN_USAGE). */
import { parseOptions, today, UsageError, validDate } from "../options";
import { defaultJobs } from "../pipeline";
import type { Alg } from "./keys";

export const SCREEN_USAGE = `usage: npm run screen -- --fhir-base URL --client-id ID --key PRIVATE_KEY (--group ID | --all-patients) [options]
       npm run screen -- keygen [--alg ES384|RS384] [--out DIR]
options:
  --out DIR              output folder (default ./screening); a re-run resumes the export there
  --as-of YYYY-MM-DD     date the assessments are made as of (default today)
  --kid KID              key id in the JWT header (default: the JWK's kid or the key's RFC 7638 thumbprint)
  --token-url URL        token endpoint (default: from .well-known/smart-configuration)
  --scopes v1|v2         scope spelling (default: v2 when the server lists permission-v2)
  --no-type-filter       do not send _typeFilter (all Observations are exported)
  --restart              forget an earlier export in --out and start a new one
  --patient-link TEMPLATE  link for each patient, {id} replaced (default <fhir-base>/Patient/{id})
  --max-wait-min N       give up polling after N minutes (default 240); a re-run continues the job
  --jobs N               worker threads for the assessment (default: CPU count)`;

export type ScreenArgs =
  | { command: "keygen"; alg: Alg; out: string }
  | {
      command: "screen";
      fhirBase: string;
      clientId: string;
      key: string;
      kid?: string;
      group: string | null;
      out: string;
      asOf: string;
      tokenUrl?: string;
      scopes?: "v1" | "v2";
      typeFilter: boolean;
      restart: boolean;
      patientLink: string;
      maxWaitMin: number;
      jobs: number;
    };

const VALUED = [
  "--fhir-base",
  "--client-id",
  "--key",
  "--kid",
  "--group",
  "--out",
  "--as-of",
  "--token-url",
  "--scopes",
  "--patient-link",
  "--max-wait-min",
  "--jobs",
  "--alg",
];
const SWITCHES = ["--all-patients", "--no-type-filter", "--restart"];

function httpUrl(flag: string, v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`${flag} must be a URL, got ${v}`);
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback))
    throw new UsageError(`${flag} must be https (http only on this machine), got ${v}`);
  return v.replace(/\/+$/, "");
}

function count(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^[1-9]\d{0,5}$/.test(v)) throw new UsageError(`${flag} must be a positive whole number, got ${v}`);
  return Number(v);
}

export function parseScreenArgs(argv: string[]): ScreenArgs | "help" {
  const p = parseOptions(argv, VALUED, SWITCHES);
  if (p === "help") return "help";
  const v = p.values;
  if (p.positional[0] === "keygen") {
    const alg = v["--alg"] ?? "ES384";
    if (alg !== "ES384" && alg !== "RS384") throw new UsageError(`--alg must be ES384 or RS384, got ${alg}`);
    return { command: "keygen", alg, out: v["--out"] ?? "backend-key" };
  }
  if (p.positional.length) throw new UsageError(`unexpected argument ${p.positional[0]}`);
  for (const f of ["--fhir-base", "--client-id", "--key"]) if (!v[f]) throw new UsageError(`${f} is required`);
  const all = p.switches.has("--all-patients");
  if (all === (v["--group"] !== undefined)) throw new UsageError("give exactly one of --group ID and --all-patients");
  const asOf = v["--as-of"] ?? today();
  if (!validDate(asOf)) throw new UsageError(`--as-of must be a date YYYY-MM-DD, got ${asOf}`);
  const scopes = v["--scopes"];
  if (scopes !== undefined && scopes !== "v1" && scopes !== "v2") throw new UsageError(`--scopes must be v1 or v2, got ${scopes}`);
  const fhirBase = httpUrl("--fhir-base", v["--fhir-base"]!);
  return {
    command: "screen",
    fhirBase,
    clientId: v["--client-id"]!,
    key: v["--key"]!,
    kid: v["--kid"],
    group: all ? null : v["--group"]!,
    out: v["--out"] ?? "screening",
    asOf,
    tokenUrl: v["--token-url"] === undefined ? undefined : httpUrl("--token-url", v["--token-url"]),
    scopes,
    typeFilter: !p.switches.has("--no-type-filter"),
    restart: p.switches.has("--restart"),
    patientLink: v["--patient-link"] ?? `${fhirBase}/Patient/{id}`,
    maxWaitMin: count("--max-wait-min", v["--max-wait-min"], 240),
    jobs: count("--jobs", v["--jobs"], defaultJobs()),
  };
}
