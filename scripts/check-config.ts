/**
 * `npm run check-config [-- <file>] [--strict]`: checks a smart-config.json the way the app reads
 * it (src/session/config-check.ts), and prints each problem as `file:line:column: severity: …`.
 */
import { readFileSync } from "node:fs";
import { checkSmartConfig, describeForTerminal } from "../src/session/config-check";
import { parseCommandLine } from "./args";

const USAGE = `Usage: npm run check-config [-- <file>] [--strict]

Checks a smart-config.json as the app reads it: JSON syntax and every setting (errors, which make
the app refuse the file), then what is legal but probably wrong (warnings): unanchored or
unescaped issMatch patterns, plain-http issuers off this machine, a missing appUrl, unknown or
repeated settings, placeholders, pattern issuers without connectOrigins. Each line names the
file, line and column.

  <file>      the file to check (default: public/smart-config.json, the template the build ships;
              after a build, check the deployed copy, e.g. dist/smart-config.json)
  --strict    warnings fail the check too (for a deployment pipeline)
  --help      this text

Exit codes: 0 no error (warnings may be printed); 1 errors (or warnings with --strict);
2 bad arguments or a file that cannot be read.`;

function main(): number {
  const { values, positionals } = parseCommandLine("check-config", USAGE, {
    options: { strict: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (positionals.length > 1) return fail("give one file (see --help)");
  const file = positionals[0] ?? "public/smart-config.json";
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(`${file}: cannot read (${code === "ENOENT" ? "no such file" : (code ?? (error as Error).message)})`);
  }
  const { config, diagnostics } = checkSmartConfig(text);
  for (const diagnostic of diagnostics) console.log(describeForTerminal(file, diagnostic));
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (!config) return 1;
  const names = config.ehrs.map((ehr) => ehr.name).join(", ");
  console.log(`${file}: ${config.ehrs.length} EHR(s)${names ? ` (${names})` : ""}, ${warnings} warning(s)`);
  return values.strict && warnings > 0 ? 1 : 0;
}

function fail(message: string): number {
  console.error(`check-config: ${message}`);
  return 2;
}

process.exitCode = main();
