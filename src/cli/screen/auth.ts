/**
 * SMART Backend Services, client side: discover the token endpoint from the FHIR server's
 * .well-known/smart-configuration, authenticate with a private_key_jwt client assertion
 * (client_credentials grant), and keep a token, asking for a new one shortly before it expires.
 * https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { randomUUID } from "node:crypto";
import { signJwt, type SigningKey } from "./keys";
import { ScreenError, describeResponse, http } from "./net";

export interface SmartConfig {
  token_endpoint?: string;
  capabilities?: string[];
  token_endpoint_auth_methods_supported?: string[];
}

/** The resource types the rules read (src/clinical): the export asks for these and no other. */
export const RULE_TYPES = [
  "Patient",
  "Condition",
  "Observation",
  "DiagnosticReport",
  "ImagingStudy",
  "DocumentReference",
  "Procedure",
  "MedicationRequest",
  // The attachments of reports and notes (HTML, RTF, PDF, text), read by id: `.r`, no search.
  "Binary",
] as const;

/** Read and search, nothing else: v2 `.rs`, or v1 `.read` for servers without permission-v2. */
export function systemScopes(version: "v1" | "v2"): string {
  return RULE_TYPES.map((t) => `system/${t}.${version === "v1" ? "read" : t === "Binary" ? "r" : "rs"}`).join(" ");
}

export async function discover(fhirBase: string): Promise<SmartConfig> {
  const url = `${fhirBase}/.well-known/smart-configuration`;
  const res = await http(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new ScreenError(`${url}: ${await describeResponse(res)}`);
  try {
    return (await res.json()) as SmartConfig;
  } catch {
    throw new ScreenError(`${url}: not JSON`);
  }
}

export class TokenSource {
  private token: { value: string; expiresAt: number } | null = null;
  /** The scopes the server granted (may be fewer than asked). */
  granted: string[] = [];

  constructor(
    private readonly tokenUrl: string,
    private readonly clientId: string,
    private readonly key: SigningKey,
    private readonly scope: string,
  ) {}

  /** A valid access token; a new one when the current has less than a minute left. */
  async get(): Promise<string> {
    if (this.token && this.token.expiresAt - Date.now() > 60_000) return this.token.value;
    const now = Math.floor(Date.now() / 1000);
    const assertion = signJwt({ iss: this.clientId, sub: this.clientId, aud: this.tokenUrl, exp: now + 240, jti: randomUUID() }, this.key);
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      scope: this.scope,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    });
    const res = await http(this.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: body.toString(),
    });
    if (!res.ok) throw new ScreenError(`token request refused: ${await describeResponse(res)}`);
    const json = (await res.json()) as { access_token?: string; expires_in?: number; scope?: string };
    if (!json.access_token) throw new ScreenError("token response has no access_token");
    this.granted = (json.scope ?? this.scope).split(/\s+/).filter(Boolean);
    this.token = { value: json.access_token, expiresAt: Date.now() + (json.expires_in ?? 300) * 1000 };
    return json.access_token;
  }
}
