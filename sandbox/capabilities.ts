/**
 * What the sandbox says about itself: /.well-known/smart-configuration, /metadata
 * (CapabilityStatement), the OpenID configuration, and the SMART style the token response points at.
 */
import type { CapabilityStatement } from "fhir/r4";
import { searchParams } from "./definitions";
import { CONTEXT_SCOPES } from "./scopes";

export interface Endpoints {
  /** http://localhost:<port> */
  url: string;
  /** http://localhost:<port>/fhir */
  fhirBase: string;
}

export const authorizeUrl = (e: Endpoints) => `${e.url}/auth/authorize`;
export const tokenUrl = (e: Endpoints) => `${e.url}/auth/token`;
export const jwksUrl = (e: Endpoints) => `${e.url}/.well-known/jwks.json`;
export const styleUrl = (e: Endpoints) => `${e.url}/smart-style.json`;

export const SCOPES_SUPPORTED = [
  ...CONTEXT_SCOPES,
  "patient/*.rs",
  "patient/*.cruds",
  "patient/*.read",
  "patient/*.write",
  "user/*.rs",
  "user/*.read",
  "user/*.cruds",
];

export function smartConfiguration(e: Endpoints) {
  return {
    issuer: e.fhirBase,
    jwks_uri: jwksUrl(e),
    authorization_endpoint: authorizeUrl(e),
    token_endpoint: tokenUrl(e),
    token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: ["RS384", "ES384"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: [...SCOPES_SUPPORTED, "system/*.rs", "system/*.read"],
    capabilities: [
      "launch-ehr",
      "launch-standalone",
      "client-public",
      "client-confidential-symmetric",
      "client-confidential-asymmetric",
      "sso-openid-connect",
      "context-passthrough-banner",
      "context-passthrough-style",
      "context-ehr-patient",
      "context-ehr-encounter",
      "context-standalone-patient",
      "permission-offline",
      "permission-online",
      "permission-patient",
      "permission-user",
      "permission-v1",
      "permission-v2",
    ],
  };
}

export function openidConfiguration(e: Endpoints) {
  return {
    issuer: e.fhirBase,
    jwks_uri: jwksUrl(e),
    authorization_endpoint: authorizeUrl(e),
    token_endpoint: tokenUrl(e),
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["ES256"],
    scopes_supported: ["openid", "fhirUser", "profile"],
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "fhirUser", "profile", "nonce"],
  };
}

/** Parameter types Medplum's in-memory matcher implements (others are refused with a 400). */
const LISTED_PARAM_TYPES = new Set(["token", "reference", "date", "string", "uri"]);

export function capabilityStatement(
  e: Endpoints,
  options: { servedTypes: readonly string[]; writableTypes: ReadonlySet<string>; updatableTypes: ReadonlySet<string>; basic: boolean },
): CapabilityStatement {
  const full = !options.basic;
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-01-01",
    kind: "instance",
    software: { name: "SMART sandbox (local EHR simulator)", version: "1.0.0" },
    implementation: { description: "Local SMART on FHIR sandbox for development and tests", url: e.fhirBase },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json", "json"],
    rest: [
      {
        mode: "server",
        security: {
          cors: true,
          service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR" }] }],
          extension: [
            {
              url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
              extension: [
                { url: "authorize", valueUri: authorizeUrl(e) },
                { url: "token", valueUri: tokenUrl(e) },
              ],
            },
          ],
        },
        resource: [...options.servedTypes].sort().map((type) => {
          const writable = options.writableTypes.has(type);
          const updatable = options.updatableTypes.has(type);
          return {
            type,
            interaction: [
              { code: "read" as const },
              { code: "search-type" as const },
              ...(writable ? [{ code: "create" as const }] : []),
              ...(updatable ? [{ code: "update" as const }] : []),
            ],
            ...(writable ? { conditionalCreate: full } : {}),
            ...(updatable ? { updateCreate: true } : {}),
            searchParam: searchParams(type)
              .filter((p) => p.code && LISTED_PARAM_TYPES.has(p.type ?? ""))
              .map((p) => ({ name: p.code!, type: p.type as "token" }))
              .sort((a, b) => a.name.localeCompare(b.name)),
          };
        }),
        ...(full ? { interaction: [{ code: "transaction" as const }, { code: "batch" as const }] } : {}),
      },
    ],
  };
}

/** The SMART style the token response's smart_style_url points at. */
export const SMART_STYLE = {
  color_background: "#f6f7f9",
  color_error: "#b3261e",
  color_highlight: "#1f6feb",
  color_modal_backdrop: "rgba(0,0,0,0.4)",
  color_success: "#2e7d32",
  color_text: "#1b1f24",
  dim_border_radius: "6px",
  dim_font_size: "14px",
  dim_spacing_size: "16px",
  font_family_body: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  font_family_heading: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
};
