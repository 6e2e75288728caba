/**
 * What is legal in smart-config.json but probably wrong: settings that are ignored (a typo), issuer
 * patterns looser than they look, plain http to an EHR, a missing canonical app URL. Errors stop
 * the app (config.ts); these only warn (`npm run check-config`).
 */
import { QUIRK_DEFAULTS } from "../fhir/quirks";
import { isRegexSource, type ConfigPath, type SmartConfig } from "./config";

export interface ConfigWarning {
  /** Short name, to look a warning up or filter it. */
  rule: string;
  path: ConfigPath;
  message: string;
}

const TOP_LEVEL = ["$comment", "appUrl", "allowOpenServer", "ehrs"];
const ENTRY = ["$comment", "name", "issMatch", "clientId", "scope", "scopeVersion", "quirks", "connectOrigins"];
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function unknownKeys(value: unknown, known: string[], path: ConfigPath): ConfigWarning[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const meant = known.find((k) => k.toLowerCase() === key.toLowerCase());
      return {
        rule: "unknown-setting",
        path: [...path, key],
        message: `unknown setting "${key}" is ignored${meant ? ` (did you mean "${meant}"?)` : ` (known here: ${known.join(", ")})`}`,
      };
    });
}

function plainHttpHost(url: string): string | null {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === "http:" && !LOOPBACK.has(hostname) ? hostname : null;
  } catch {
    return null;
  }
}

/** The first "." outside a character class that is not escaped, and what follows it. */
function unescapedDot(source: string): { wildcard: boolean } | null {
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === "\\") i += 1;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "." && !inClass) return { wildcard: /[*+{]/.test(source[i + 1] ?? "") };
  }
  return null;
}

/**
 * Whether a pattern can match a plain-http issuer off this machine: it starts with http:// (or
 * https?://) and its host part is not only localhost / 127.0.0.1 / [::1].
 */
function regexAllowsRemoteHttp(source: string): boolean {
  const rest = /^\^?(?:\(\?:|\()?http(?:s\?|\(s\)\?|\(\?:s\)\?)?:\/\/(.*)$/.exec(source)?.[1];
  if (rest === undefined) return false;
  let depth = 0;
  let end = 0;
  for (; end < rest.length; end += 1) {
    const c = rest[end];
    if (c === "\\") end += 1;
    else if (c === "(") depth += 1;
    else if (c === ")") depth -= 1;
    else if ((c === "/" || c === ":" || c === "$") && depth <= 0) break;
  }
  const hosts = rest
    .slice(0, end)
    .replace(/^\((?:\?:)?|\)$/g, "")
    .split("|")
    .map((host) => host.replace(/\\\./g, ".").replace(/\\\[|\\\]/g, (b) => b.slice(1)));
  return !hosts.every((host) => LOOPBACK.has(host));
}

function patternWarnings(pattern: string, path: ConfigPath): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (!isRegexSource(pattern)) {
    const host = plainHttpHost(pattern);
    if (host) {
      warnings.push({
        rule: "plain-http",
        path,
        message: `"${pattern}" is plain http on ${host}: tokens and patient data would cross the network unencrypted; use https`,
      });
    }
    return warnings;
  }
  const source = pattern.slice(1, -1);
  if (!source.startsWith("^") || !source.endsWith("$") || source.endsWith("\\$")) {
    warnings.push({
      rule: "unanchored-pattern",
      path,
      message: `"${pattern}" is not anchored: the app matches it against the whole issuer, but write it as "/^…$/" so every reader sees that`,
    });
  }
  const dot = unescapedDot(source);
  if (dot) {
    warnings.push({
      rule: "unescaped-pattern",
      path,
      message: dot.wildcard
        ? `"${pattern}" has ".*" or ".+", which matches anything, "/" and other hosts included: use a narrower class such as [^/]+ or [0-9a-f-]+`
        : `"${pattern}" has an unescaped ".", which matches any character (a look-alike host would match): write a dot as \\\\. in the JSON`,
    });
  }
  if (regexAllowsRemoteHttp(source)) {
    warnings.push({
      rule: "plain-http",
      path,
      message: `"${pattern}" accepts plain-http issuers off this machine: tokens and patient data would cross the network unencrypted; use https`,
    });
  }
  return warnings;
}

/** Warnings for a config that parsed (`raw` is its JSON, `config` what parseSmartConfig made of it). */
export function configWarnings(raw: Record<string, unknown>, config: SmartConfig): ConfigWarning[] {
  const warnings = unknownKeys(raw, TOP_LEVEL, []);
  if (config.appUrl === undefined) {
    warnings.push({
      rule: "no-app-url",
      path: [],
      message:
        'no "appUrl": written findings are then identified under the address the pages are served from, so two deployments (or a move) write the same finding twice under two identifier systems; set it to the app\'s canonical URL',
    });
  } else if (plainHttpHost(config.appUrl)) {
    warnings.push({
      rule: "plain-http",
      path: ["appUrl"],
      message: `"appUrl" is plain http off this machine: EHRs refuse such redirect URIs; use https`,
    });
  }
  if (config.allowOpenServer) {
    warnings.push({
      rule: "open-server",
      path: ["allowOpenServer"],
      message: "open-server launches (fhirServiceUrl, no sign-in) are allowed: for test servers only",
    });
  }
  if (config.ehrs.length === 0) {
    warnings.push({ rule: "no-ehrs", path: ["ehrs"], message: 'no EHR is listed: every launch will be refused until "ehrs" has an entry' });
  }
  const rawEhrs = raw.ehrs as Record<string, unknown>[];
  config.ehrs.forEach((ehr, index) => {
    const rawEntry = rawEhrs[index];
    warnings.push(...unknownKeys(rawEntry, ENTRY, ["ehrs", index]));
    warnings.push(...unknownKeys(rawEntry.quirks, Object.keys(QUIRK_DEFAULTS), ["ehrs", index, "quirks"]));
    if (/^<.*>$/.test(ehr.clientId)) {
      warnings.push({
        rule: "placeholder",
        path: ["ehrs", index, "clientId"],
        message: `"clientId" is still a placeholder (${ehr.clientId}): put the client id the EHR registered`,
      });
    }
    ehr.issMatch.forEach((pattern, p) => {
      warnings.push(
        ...patternWarnings(pattern, Array.isArray(rawEntry.issMatch) ? ["ehrs", index, "issMatch", p] : ["ehrs", index, "issMatch"]),
      );
    });
    if (rawEntry.connectOrigins === undefined && ehr.issMatch.some(isRegexSource)) {
      warnings.push({
        rule: "no-connect-origins",
        path: ["ehrs", index, "issMatch"],
        message: `"${ehr.name}" has a pattern issuer and no "connectOrigins": the Content-Security-Policy will not let the browser reach it`,
      });
    }
    ehr.connectOrigins.forEach((origin, o) => {
      const host = rawEntry.connectOrigins !== undefined && plainHttpHost(origin.replace(/:\*$/, ""));
      if (host) {
        warnings.push({
          rule: "plain-http",
          path: ["ehrs", index, "connectOrigins", o],
          message: `"${origin}" is plain http on ${host}: use https`,
        });
      }
    });
  });
  return warnings;
}
