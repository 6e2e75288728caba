/**
 * `npm run registration -- --base-url https://apps.example.org/calcinosis/ [--scopes v1|v2]`
 * prints the RFC 7591 client metadata an EHR's app registration asks for, and the launch URL.
 */
import { readFileSync } from "node:fs";
import { clientMetadata } from "../src/session/registration";
import { parseCommandLine } from "./args";

const USAGE = `Usage: npm run registration -- --base-url <URL> [--scopes v1|v2]

Prints, as RFC 7591 client metadata (JSON on stdout), what an EHR's app registration asks for:
redirect URI, launch URL, public client with PKCE, grant types and the scopes the app asks for at
launch. The launch URL and redirect URI are repeated on stderr.

  --base-url URL   where the built app is served, e.g. https://apps.example.org/calcinosis/
                   (https; http only for localhost)
  --scopes v1|v2   scope spelling: v2 (default), or v1 for EHRs without SMART v2 scopes
  --help           this text

Exit codes: 0 printed; 2 bad arguments.`;

const { values } = parseCommandLine("registration", USAGE, {
  options: { "base-url": { type: "string" }, scopes: { type: "string", default: "v2" } },
});
try {
  if (!values["base-url"])
    throw new Error("--base-url is required (usage: npm run registration -- --base-url https://apps.example.org/calcinosis/; see --help)");
  if (values.scopes !== "v1" && values.scopes !== "v2") throw new Error("--scopes must be v1 or v2");
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  const metadata = clientMetadata(values["base-url"], version, values.scopes);
  process.stdout.write(`${JSON.stringify(metadata, null, 2)}\n`);
  process.stderr.write(`\nLaunch URL: ${metadata.launch_uri}\nRedirect URI: ${metadata.redirect_uris[0]}\n`);
} catch (error) {
  process.stderr.write(`registration: ${(error as Error).message}\n`);
  process.exit(2);
}
