/**
 * Deployment settings, read at run time from `smart-config.json` beside the built pages, so hospital
 * IT adds an EHR by editing one JSON file, without a rebuild (design.md, "Launch and session").
 */

import { parseQuirks, type EhrQuirks } from "../fhir/quirks";

export interface EhrEntry {
  /** Human name shown in error screens and logs ("Epic production"). */
  name: string;
  /** Issuer URL(s) this entry serves: an exact URL, or a regular expression written as "/…/". */
  issMatch: string[];
  clientId: string;
  /** Overrides the scopes the app would ask for (rarely needed; least privilege is the default). */
  scope?: string;
  /** Force SMART v1 or v2 scope spelling instead of detecting it from smart-configuration. */
  scopeVersion?: "v1" | "v2";
  quirks: EhrQuirks;
  /**
   * Origins the browser must reach for this EHR (FHIR server, authorisation server, style
   * document), for the Content-Security-Policy's connect-src. Defaults to the origin of each
   * exact-URL issuer; a "/regex/" issuer needs them listed.
   */
  connectOrigins: string[];
}

export interface SmartConfig {
  ehrs: EhrEntry[];
  /**
   * The app's canonical URL. Identifiers of written resources live under it, so it must stay the
   * same across redeployments (the same finding always gets the same identifier). Defaults to
   * the address the app is served from.
   */
  appUrl?: string;
  /** Allow `fhirServiceUrl` launches (open FHIR servers without authorisation). Off by default. */
  allowOpenServer: boolean;
}

/** Where in smart-config.json a value sits: property names and list indexes, from the top. */
export type ConfigPath = (string | number)[];

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    message: string,
    /** The value that is wrong (or the object missing it), so the message can name its line. */
    readonly path: ConfigPath = [],
  ) {
    super(message);
  }
}

export function isRegexSource(pattern: string): boolean {
  return pattern.length > 2 && pattern.startsWith("/") && pattern.endsWith("/");
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** `issMatch`: one pattern or a list; each an absolute http(s) URL or a valid "/regex/". */
function issuerPatterns(value: unknown, at: ConfigPath, where: string): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v.length > 0)) {
    throw new ConfigError(`${where}: "issMatch" must be a URL or a list of URLs / "/regex/" strings`, at);
  }
  list.forEach((pattern: string, index) => {
    const here = Array.isArray(value) ? [...at, index] : at;
    if (isRegexSource(pattern)) {
      try {
        new RegExp(pattern.slice(1, -1));
      } catch {
        throw new ConfigError(`${where}: "${pattern}" is not a valid regular expression`, here);
      }
    } else if (!isHttpUrl(pattern)) {
      throw new ConfigError(`${where}: "${pattern}" is neither an absolute http(s) URL nor a "/regex/"`, here);
    }
  });
  return list as string[];
}

/** `connectOrigins` go into the Content-Security-Policy: one source each, nothing that could end the directive. */
function connectOrigins(value: unknown, at: ConfigPath, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ConfigError(`${where}: "connectOrigins" must be a list of origins`, at);
  value.forEach((origin: unknown, index) => {
    if (typeof origin !== "string" || !/^(https?|wss?):\/\/[^\s;,'"\\]+$/.test(origin)) {
      throw new ConfigError(`${where}: connectOrigins[${index}] must be an origin such as "https://fhir.example.org"`, [...at, index]);
    }
  });
  return value as string[];
}

/** Validates the JSON of smart-config.json, naming the entry and field that is wrong. */
export function parseSmartConfig(json: unknown): SmartConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ConfigError('smart-config.json must be a JSON object with an "ehrs" list');
  }
  const raw = json as Record<string, unknown>;
  if (!Array.isArray(raw.ehrs)) throw new ConfigError('"ehrs" must be a list', ["ehrs"]);
  const ehrs = raw.ehrs.map((entry: unknown, index: number): EhrEntry => {
    const where = `ehrs[${index}]`;
    const at = (...rest: ConfigPath): ConfigPath => ["ehrs", index, ...rest];
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new ConfigError(`${where} must be an object`, at());
    const e = entry as Record<string, unknown>;
    if (typeof e.clientId !== "string" || !e.clientId) throw new ConfigError(`${where}: "clientId" is required`, at("clientId"));
    if (e.scope !== undefined && typeof e.scope !== "string") throw new ConfigError(`${where}: "scope" must be a string`, at("scope"));
    if (e.scopeVersion !== undefined && e.scopeVersion !== "v1" && e.scopeVersion !== "v2") {
      throw new ConfigError(`${where}: "scopeVersion" must be "v1" or "v2"`, at("scopeVersion"));
    }
    // A quirk this build does not know is ignored (a config written for a newer build still
    // loads); a known quirk with a wrong value is an error hospital IT must fix.
    const { quirks, problems } = parseQuirks(e.quirks ?? {});
    const errors = problems.filter((problem) => !problem.startsWith("unknown quirk"));
    if (errors.length > 0) throw new ConfigError(`${where}: ${errors.join("; ")}`, at("quirks"));
    const issMatch = issuerPatterns(e.issMatch, at("issMatch"), where);
    return {
      name: typeof e.name === "string" && e.name ? e.name : `EHR ${index + 1}`,
      issMatch,
      connectOrigins:
        connectOrigins(e.connectOrigins, at("connectOrigins"), where) ??
        issMatch.filter((p) => !isRegexSource(p)).map((p) => new URL(p).origin),
      clientId: e.clientId,
      scope: e.scope as string | undefined,
      scopeVersion: e.scopeVersion as EhrEntry["scopeVersion"],
      quirks,
    };
  });
  if (raw.appUrl !== undefined) {
    if (typeof raw.appUrl !== "string" || !isHttpUrl(raw.appUrl)) {
      throw new ConfigError('"appUrl" must be an absolute http(s) URL', ["appUrl"]);
    }
  }
  if (raw.allowOpenServer !== undefined && typeof raw.allowOpenServer !== "boolean") {
    throw new ConfigError('"allowOpenServer" must be true or false', ["allowOpenServer"]);
  }
  return { ehrs, allowOpenServer: raw.allowOpenServer === true, ...(raw.appUrl ? { appUrl: raw.appUrl as string } : {}) };
}

/** Compares issuers the way servers mean them: a trailing slash does not make another server. */
function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/**
 * A "/regex/" pattern must match the whole issuer: unanchored, "/https://good\\.example/fhir/" would
 * also accept "https://evil.test/?https://good.example/fhir". The group keeps alternatives inside.
 */
function matchesWholeIssuer(pattern: string, iss: string): boolean {
  const regex = new RegExp(`^(?:${pattern.slice(1, -1)})$`);
  return regex.test(iss) || regex.test(iss.replace(/\/+$/, ""));
}

export function issuerMatches(entry: EhrEntry, iss: string): boolean {
  return entry.issMatch.some((pattern) => (isRegexSource(pattern) ? matchesWholeIssuer(pattern, iss) : sameUrl(pattern, iss)));
}

export function findEhr(config: SmartConfig, iss: string): EhrEntry | null {
  return config.ehrs.find((entry) => issuerMatches(entry, iss)) ?? null;
}

/** Fetches smart-config.json relative to the current page (works under any base path). */
export async function loadSmartConfig(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<SmartConfig> {
  const url = new URL("smart-config.json", baseUrl).href;
  let text: string;
  try {
    const response = await fetchImpl(url, { cache: "no-store" });
    if (!response.ok) throw new ConfigError(`smart-config.json could not be fetched (HTTP ${response.status})`);
    text = await response.text();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`smart-config.json could not be fetched (${(error as Error).message})`);
  }
  try {
    return parseSmartConfig(JSON.parse(text));
  } catch (error) {
    // Only a broken file pays for the line-and-column finder: the launch page stays small.
    const { checkSmartConfig, describeForScreen } = await import("./config-check");
    const problem = checkSmartConfig(text).diagnostics.find((d) => d.severity === "error");
    if (!problem) throw error;
    throw new ConfigError(describeForScreen("smart-config.json", problem));
  }
}
