/**
 * `npm run registration -- --base-url https://apps.example.org/calcinosis/ [--scopes v1|v2]`
 * prints the RFC 7591 client metadata an EHR's app registration asks for, and the launch URL.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { clientMetadata } from "../src/session/registration";

try {
  const { values } = parseArgs({ options: { "base-url": { type: "string" }, scopes: { type: "string", default: "v2" } } });
  if (!values["base-url"])
    throw new Error("usage: npm run registration -- --base-url https://apps.example.org/calcinosis/ [--scopes v1|v2]");
  if (values.scopes !== "v1" && values.scopes !== "v2") throw new Error("--scopes must be v1 or v2");
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  const metadata = clientMetadata(values["base-url"], version, values.scopes);
  process.stdout.write(`${JSON.stringify(metadata, null, 2)}\n`);
  process.stderr.write(`\nLaunch URL: ${metadata.launch_uri}\nRedirect URI: ${metadata.redirect_uris[0]}\n`);
} catch (error) {
  process.stderr.write(`registration: ${(error as Error).message}\n`);
  process.exit(2);
}
