/**
 * `npm run security-headers -- --config dist/smart-config.json --frame-ancestors "https://ehr.example.org"
 *  [--format nginx|json]` prints the headers a deployment should send, built from the EHRs it serves.
 */
import { readFileSync } from "node:fs";
import { checkSmartConfig, describeForTerminal } from "../src/session/config-check";
import { nginxHeaderLines, securityHeaders } from "../src/session/security-headers";
import { parseCommandLine } from "./args";

const USAGE = `Usage: npm run security-headers -- [--config FILE] [--frame-ancestors "ORIGIN ..."] [--format nginx|json]

Prints the HTTP headers to send with the app's pages (Content-Security-Policy, Referrer-Policy,
X-Content-Type-Options, Permissions-Policy, Strict-Transport-Security), the CSP's connect-src
built from the EHRs the config lists. Save the nginx output as a file that every location
serving the app includes (README, "Security headers").

  --config FILE              the deployment's smart-config.json (default dist/smart-config.json)
  --frame-ancestors ORIGINS  space-separated origins of the EHR pages that embed the app in a
                             frame (default 'none': no framing)
  --format nginx|json        nginx add_header lines (default), or a JSON object
  --help                     this text

Exit codes: 0 printed; 2 bad arguments, or a config that cannot be read or is invalid (the
message names its line and column).`;

const { values } = parseCommandLine("security-headers", USAGE, {
  options: {
    config: { type: "string", default: "dist/smart-config.json" },
    "frame-ancestors": { type: "string", default: "'none'" },
    format: { type: "string", default: "nginx" },
  },
});
try {
  if (values.format !== "nginx" && values.format !== "json") throw new Error("--format must be nginx or json");
  const { config, diagnostics } = checkSmartConfig(readFileSync(values.config, "utf8"));
  // Only what changes the headers; `npm run check-config` reports the rest.
  for (const diagnostic of diagnostics.filter((d) => d.severity === "error" || d.rule === "no-connect-origins")) {
    process.stderr.write(`${describeForTerminal(values.config, diagnostic)}\n`);
  }
  if (!config) process.exit(2);
  const headers = securityHeaders(config, { frameAncestors: values["frame-ancestors"].split(/\s+/).filter(Boolean) });
  process.stdout.write(values.format === "json" ? `${JSON.stringify(headers, null, 2)}\n` : nginxHeaderLines(headers));
} catch (error) {
  process.stderr.write(`security-headers: ${(error as Error).message}\n`);
  process.exit(2);
}
