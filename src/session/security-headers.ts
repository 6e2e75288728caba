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
  };
}
