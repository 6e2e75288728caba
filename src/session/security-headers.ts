/**
 * Security headers for a deployment, generated from smart-config.json so the Content-Security-Policy
 * lets the browser reach the configured EHRs and nothing else. frame-ancestors is per deployment:
 * EHRs embed apps in frames, and only the EHRs' own origins may do so.
 */
import type { SmartConfig } from "./config";

export interface HeaderOptions {
  /** Origins allowed to frame the app (the EHRs' web origins), or "'none'" / "'self'". */
  frameAncestors: string[];
}

export function contentSecurityPolicy(config: SmartConfig, options: HeaderOptions): string {
  const connect = [...new Set(config.ehrs.flatMap((ehr) => ehr.connectOrigins))].sort();
  const directives: [string, string[]][] = [
    ["default-src", ["'none'"]],
    // No inline scripts: the built pages load their modules from files only.
    ["script-src", ["'self'"]],
    // MUI (emotion) inserts <style> elements at run time.
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:"]],
    ["font-src", ["'self'"]],
    ["connect-src", ["'self'", ...connect]],
    ["frame-ancestors", options.frameAncestors.length > 0 ? options.frameAncestors : ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'none'"]],
    ["object-src", ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(" ")}`).join("; ");
}

/** Every header a deployment should send with the app's pages, with why. */
export function securityHeaders(config: SmartConfig, options: HeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(config, options),
    // The launch URL carries `iss` and `launch`; never send it to other sites.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    // HTTPS only, for a year, on this host (not its sub-domains: they belong to the hospital).
    // Browsers ignore it over plain http, so a localhost test deployment is not affected.
    "Strict-Transport-Security": "max-age=31536000",
  };
}

/**
 * The headers as nginx `add_header` lines, for a file that every location serving the app includes
 * (a location with an add_header of its own inherits none of the outer ones).
 */
export function nginxHeaderLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `add_header ${name} "${value.replace(/["\\]/g, "\\$&")}" always;\n`)
    .join("");
}
