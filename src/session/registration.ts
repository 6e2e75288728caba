/**
 * The registration kit: RFC 7591 client metadata for an EHR's app registration, built from the same
 * scope list the app asks for at launch (src/session/scopes.ts), so the two cannot drift apart.
 */
import { buildScope, type ScopeVersion } from "./scopes";

export interface ClientMetadata {
  client_name: string;
  redirect_uris: string[];
  token_endpoint_auth_method: "none";
  grant_types: string[];
  response_types: string[];
  scope: string;
  logo_uri: string;
  software_id: string;
  software_version: string;
  /** Not RFC 7591: the SMART launch URL, which registration forms also ask for. */
  launch_uri: string;
}

export const SOFTWARE_ID = "calcinosis-smart-app";

/** `baseUrl` is where the built app is served, e.g. https://apps.example.org/calcinosis/ */
export function clientMetadata(baseUrl: string, version: string, scopeVersion: ScopeVersion = "v2"): ClientMetadata {
  const base = new URL(baseUrl);
  if (base.protocol !== "https:" && base.hostname !== "localhost" && base.hostname !== "127.0.0.1") {
    throw new Error(`--base-url must use https (got ${base.href}); EHRs refuse plain-http redirect URIs outside localhost`);
  }
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const ehrScope = buildScope("ehr", scopeVersion).split(" ");
  const standaloneOnly = buildScope("standalone", scopeVersion)
    .split(" ")
    .filter((s) => !ehrScope.includes(s));
  const scope = [...ehrScope, ...standaloneOnly];
  return {
    client_name: "Calcinosis check (pseudotumoral calcinosis in systemic sclerosis)",
    redirect_uris: [new URL("index.html", base).href],
    token_endpoint_auth_method: "none",
    // online_access (or offline_access) is answered with a refresh token: the grant must be registered.
    grant_types: scope.some((s) => s === "online_access" || s === "offline_access")
      ? ["authorization_code", "refresh_token"]
      : ["authorization_code"],
    response_types: ["code"],
    scope: scope.join(" "),
    logo_uri: new URL("logo.svg", base).href,
    software_id: SOFTWARE_ID,
    software_version: version,
    launch_uri: new URL("launch.html", base).href,
  };
}
