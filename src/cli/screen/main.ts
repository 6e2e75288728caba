/**
 * `npm run screen`: screen a cohort (an SSc registry Group, or every patient) from a FHIR server
 * with SMART Backend Services and Bulk Data export, assess each patient with the engine, and write
 * the worklist (CSV and HTML) and one Assessment JSON per patient. docs/screening.md.
 *
 *   <out>/export/       state.json, data/*.ndjson, errors/*.ndjson (resumable)
 *   <out>/assessments/  <patient id>.json
 *   <out>/worklist.csv, <out>/report.html
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { UnavailableData } from "../../clinical/types";
import { InputError, LimitError, inputFiles } from "../input";
import { UsageError } from "../options";
import { runPipeline } from "../pipeline";
import { RULE_TYPES, TokenSource, discover, systemScopes } from "./auth";
import { parseScreenArgs, SCREEN_USAGE, type ScreenArgs } from "./args";
import { runExport } from "./bulkExport";
import { KeyError, generateKey, loadSigningKey } from "./keys";
import { ScreenError } from "./net";
import { reportHtml } from "./report";
import { sortWorklist, worklistCsv } from "./worklist";

type Out = (s: string) => void;

function keygen(args: Extract<ScreenArgs, { command: "keygen" }>, out: Out): void {
  const { privatePem, jwks, kid } = generateKey(args.alg);
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, "private-key.pem"), privatePem, { mode: 0o600 });
  writeFileSync(join(args.out, "jwks.json"), `${JSON.stringify(jwks, null, 2)}\n`);
  out(
    `${args.alg} key ${kid}\n  private key: ${join(args.out, "private-key.pem")} (keep it secret; mode 600)\n  register:    ${join(args.out, "jwks.json")}\n`,
  );
}

async function screen(args: Extract<ScreenArgs, { command: "screen" }>, out: Out, log: Out): Promise<void> {
  const key = loadSigningKey(args.key, args.kid);
  const config = await discover(args.fhirBase);
  const tokenUrl = args.tokenUrl ?? config.token_endpoint;
  if (!tokenUrl) throw new ScreenError(`${args.fhirBase}/.well-known/smart-configuration has no token_endpoint (give --token-url)`);
  const version = args.scopes ?? (config.capabilities?.includes("permission-v2") ? "v2" : "v1");
  const tokens = new TokenSource(tokenUrl, args.clientId, key, systemScopes(version));
  await tokens.get();
  // Ask only for what the token may read; a type it may not is data the rules go without.
  const grantedTypes = new Set(tokens.granted.map((s) => /^system\/([^.]+)\./.exec(s)?.[1]).filter(Boolean));
  const types = RULE_TYPES.filter((t) => grantedTypes.has(t) || grantedTypes.has("*"));
  if (!types.includes("Patient"))
    throw new ScreenError(`the token grants no system/Patient read scope (granted: ${tokens.granted.join(" ") || "none"})`);
  const exportDir = join(args.out, "export");
  if (args.restart) rmSync(exportDir, { recursive: true, force: true });
  const exported = await runExport({
    fhirBase: args.fhirBase,
    group: args.group,
    types,
    typeFilter: args.typeFilter,
    tokens,
    dir: exportDir,
    maxWaitMs: args.maxWaitMin * 60_000,
    log,
  });
  // Types not delivered: the engine reports the rules that need them as not evaluated (and
  // "indeterminate" where calcinosis cannot be ruled out), never as reassuring. UnavailableData
  // names the engine's own types; the lead is widening it to every type the rules read.
  const missing = RULE_TYPES.filter((t) => !types.includes(t) || exported.refusedTypes.includes(t));
  const unavailable = missing.map((t): UnavailableData => ({
    resourceType: t as UnavailableData["resourceType"],
    reason: "failed",
    message: `${t} was not delivered by the bulk export`,
  }));
  if (!exported.manifest.output.some((o) => o.type === "Patient")) {
    throw new ScreenError(
      `the export holds no Patient (${args.group === null ? "no patients" : `Group/${args.group} is empty`}): nothing to screen`,
    );
  }
  const assessmentDir = join(args.out, "assessments");
  rmSync(assessmentDir, { recursive: true, force: true });
  mkdirSync(assessmentDir, { recursive: true });
  const result = await runPipeline({
    input: exported.dataDir,
    files: inputFiles(exported.dataDir),
    asOf: args.asOf,
    format: "none",
    unavailable,
    jobs: args.jobs,
    assessmentDir,
    worklist: true,
    warn: (w) => log(`warning: ${w}`),
  });
  const sorted = sortWorklist(result.rows);
  const link = (id: string) => args.patientLink.replace("{id}", encodeURIComponent(id));
  writeFileSync(join(args.out, "worklist.csv"), worklistCsv(sorted, link));
  const source = args.group === null ? `${args.fhirBase} (all patients)` : `${args.fhirBase} Group/${args.group}`;
  const title = `Pseudotumoral calcinosis screening: ${args.group === null ? "all patients" : `Group/${args.group}`}`;
  writeFileSync(
    join(args.out, "report.html"),
    reportHtml(sorted, { title, source, asOf: args.asOf, transactionTime: exported.manifest.transactionTime, unavailable: missing, link }),
  );
  const urgent = sorted.filter((r) => r.redFlags.length).length;
  out(
    `screened ${sorted.length} patients (${result.resources} resources) as of ${args.asOf}; ${urgent} with a red flag\n` +
      `  worklist: ${join(args.out, "worklist.csv")}\n  report:   ${join(args.out, "report.html")}\n  per patient: ${assessmentDir}/\n` +
      (missing.length ? `  not delivered by the export: ${missing.join(", ")} (rules needing them not evaluated)\n` : ""),
  );
}

export async function screenMain(argv: string[], out: Out, err: Out): Promise<number> {
  const log = (s: string) => err(`screen: ${s}\n`);
  try {
    const args = parseScreenArgs(argv);
    if (args === "help") {
      out(`${SCREEN_USAGE}\n`);
      return 0;
    }
    if (args.command === "keygen") keygen(args, out);
    else await screen(args, out, log);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`screen: ${e.message}\n${SCREEN_USAGE}\n`);
      return 2;
    }
    if (e instanceof ScreenError || e instanceof KeyError || e instanceof InputError || e instanceof LimitError) {
      err(`screen: ${e.message}\n`);
      return 1;
    }
    err(`screen: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 70;
  }
}
