/**
 * `npm run security-headers -- --config dist/smart-config.json --frame-ancestors "https://ehr.example.org"
 *  [--format nginx|json]` prints the headers a deployment should send, built from the EHRs it serves.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseSmartConfig } from "../src/session/config";
import { nginxHeaderLines, securityHeaders } from "../src/session/security-headers";

try {
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: "dist/smart-config.json" },
      "frame-ancestors": { type: "string", default: "'none'" },
      format: { type: "string", default: "nginx" },
    },
  });
  const config = parseSmartConfig(JSON.parse(readFileSync(values.config, "utf8")));
  for (const ehr of config.ehrs.filter((entry) => entry.connectOrigins.length === 0)) {
    process.stderr.write(
      `warning: "${ehr.name}" has a pattern issuer and no connectOrigins: the browser will not be allowed to reach it\n`,
    );
  }
  const headers = securityHeaders(config, { frameAncestors: values["frame-ancestors"].split(/\s+/).filter(Boolean) });
  if (values.format === "json") {
    process.stdout.write(`${JSON.stringify(headers, null, 2)}\n`);
  } else if (values.format === "nginx") {
    process.stdout.write(nginxHeaderLines(headers));
  } else {
    throw new Error("--format must be nginx or json");
  }
} catch (error) {
  process.stderr.write(`security-headers: ${(error as Error).message}\n`);
  process.exit(2);
}
