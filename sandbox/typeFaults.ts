/**
 * Failures of one kind of data, chosen at launch (`type_error`), for testing how the app behaves
 * when a search fails in a given way: `Condition:403`, `DiagnosticReport:hang`,
 * `Observation[17861-6]:500` (only the Observation searches whose `code` names 17861-6). Kinds:
 * 403, 404, 429 (always, with Retry-After: 1), 500, malformed (a body cut half-way), truncated (a
 * next link that loops, so the search is cut short), hang (no answer until the client gives up).
 * And `proxy_rewrite`: the SMART launcher's FHIR proxy, which turns "//" into "/" in the URL.
 */

export type TypeFaultKind = "403" | "404" | "429" | "500" | "malformed" | "truncated" | "hang";

export interface TypeFault {
  resourceType: string;
  /** Only requests whose `code` parameter contains this code. */
  code?: string;
  kind: TypeFaultKind;
}

const SPEC_RE = /^([A-Z][A-Za-z]+)(?:\[([^\]]+)\])?:(403|404|429|500|malformed|truncated|hang)$/;

export function parseTypeFaults(value: string, label: string): TypeFault[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) => {
      const m = SPEC_RE.exec(spec);
      if (!m) throw new Error(`${label}: "${spec}" is not Type[:code]:kind (kinds: 403, 404, 429, 500, malformed, truncated, hang)`);
      return { resourceType: m[1]!, ...(m[2] ? { code: m[2] } : {}), kind: m[3] as TypeFaultKind };
    });
}

export function typeFaultsText(faults: readonly TypeFault[]): string {
  return faults.map((f) => `${f.resourceType}${f.code ? `[${f.code}]` : ""}:${f.kind}`).join(",");
}

/** The fault for this request, if any: by resource type, and by code for searches that name one. */
export function typeFaultFor(faults: readonly TypeFault[], resourceType: string, query: URLSearchParams): TypeFault | undefined {
  const codes = query.getAll("code").join(",");
  return faults.find((f) => f.resourceType === resourceType && (!f.code || codes.includes(f.code)));
}

/** The SMART launcher's proxy: `new URL(server + url).href.replace(/\/\s*\//g, "/")`, on the path and query. */
export function launcherProxyRewrite(pathAndQuery: string): string {
  return pathAndQuery.replace(/\/\s*\//g, "/");
}

/** What a fault answers instead of the search: an error status with its issue, or nothing ("hang"). */
export function typeFaultAnswer(
  fault: TypeFault,
): "hang" | { status: number; code: string; text: string; headers?: Record<string, string> } {
  const what = `${fault.resourceType}${fault.code ? ` (${fault.code})` : ""}`;
  switch (fault.kind) {
    case "hang":
      return "hang";
    case "403":
      return { status: 403, code: "forbidden", text: `Access to ${what} is not permitted (simulated)` };
    case "404":
      return { status: 404, code: "not-supported", text: `${what} is not supported by this server (simulated)` };
    case "429":
      return { status: 429, code: "throttled", text: `Too many requests for ${what} (simulated)`, headers: { "Retry-After": "1" } };
    default:
      return { status: 500, code: "exception", text: `Internal server error while reading ${what} (simulated)` };
  }
}
