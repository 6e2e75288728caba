/**
 * Drives the sandbox over real HTTP the way a SMART app does: launcher → authorize (PKCE S256,
 * computed here with node:crypto) → token → FHIR. Plus a small fixture of two patients.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Bundle, Condition, Encounter, Observation, Patient, Practitioner, Resource } from "fhir/r4";
import { expect } from "vitest";
import { loginToSandbox, type SandboxToken } from "../../sandbox/login";
import type { RunningSandbox } from "../../sandbox/server";

export const CLIENT_ID = "test-client";
export const LAUNCH_URI = "http://localhost:5173/launch.html";
export const REDIRECT_URI = "http://localhost:5173/index.html";

export const READ_SCOPES = "patient/Patient.r patient/Observation.rs patient/Condition.rs patient/DiagnosticReport.rs";
export const WRITE_SCOPES =
  "patient/DocumentReference.c patient/DetectedIssue.c patient/ServiceRequest.c patient/Condition.c patient/Provenance.c";
export const EHR_SCOPE = `launch openid fhirUser online_access ${READ_SCOPES} ${WRITE_SCOPES}`;

const LOINC = "http://loinc.org";
export const CALCIUM = "17861-6";
export const PHOSPHATE = "2777-1";

function observation(id: string, patient: string, code: string, day: number): Observation {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString(),
    valueQuantity: { value: 9 + (day % 10) / 10, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
  };
}

/**
 * p1: 15 calcium + 10 phosphate results (dates shuffled), a Condition, two Encounters; p2: 5 calcium
 * results; two Practitioners.
 */
export function fixture(): Resource[] {
  const patient = (id: string, mrn: string): Patient => ({
    resourceType: "Patient",
    id,
    identifier: [{ system: "urn:example:mrn", value: mrn }],
    name: [{ family: `Test-${id}`, given: ["Pat"] }],
    gender: "female",
    birthDate: "1970-01-01",
  });
  const p1Obs = Array.from({ length: 25 }, (_, i) => observation(`p1-obs-${i}`, "p1", i < 15 ? CALCIUM : PHOSPHATE, (i * 7) % 25));
  const p2Obs = Array.from({ length: 5 }, (_, i) => observation(`p2-obs-${i}`, "p2", CALCIUM, i));
  // The first Practitioner of the data is the default user (fhirUser); /launcher's provider picks another.
  const practitioners: Practitioner[] = [
    { resourceType: "Practitioner", id: "dr-who", name: [{ family: "Who" }] },
    { resourceType: "Practitioner", id: "dr-house", name: [{ family: "House" }] },
  ];
  const encounters: Encounter[] = [
    {
      resourceType: "Encounter",
      id: "p1-enc-old",
      status: "finished",
      class: { code: "AMB" },
      subject: { reference: "Patient/p1" },
      period: { start: "2020-01-01" },
    },
    {
      resourceType: "Encounter",
      id: "p1-enc-new",
      status: "in-progress",
      class: { code: "AMB" },
      subject: { reference: "Patient/p1" },
      period: { start: "2026-11-20" },
    },
  ];
  const ssc: Condition = {
    resourceType: "Condition",
    id: "p1-ssc",
    subject: { reference: "Patient/p1" },
    code: { coding: [{ system: "http://snomed.info/sct", code: "89155008" }], text: "Systemic sclerosis" },
  };
  return [...practitioners, ...encounters, patient("p1", "MRN-1"), patient("p2", "MRN-2"), ...p1Obs, ...p2Obs, ssc];
}

export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** GET /launcher; returns the launch id from the redirect to the app. */
export async function launch(sb: RunningSandbox, params: Record<string, string> = {}): Promise<string> {
  const url = new URL(`${sb.url}/launcher`);
  url.searchParams.set("launch_uri", LAUNCH_URI);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  expect(location.searchParams.get("iss")).toBe(sb.fhirBase);
  return location.searchParams.get("launch")!;
}

export interface AuthorizeParams {
  scope?: string;
  launch?: string;
  challenge?: string;
  method?: string;
  state?: string;
  clientId?: string;
  redirectUri?: string;
  aud?: string;
  extra?: Record<string, string>;
  cookie?: string;
}

/** GET /auth/authorize, not following the redirect. */
export async function authorize(sb: RunningSandbox, p: AuthorizeParams): Promise<Response> {
  const url = new URL(`${sb.url}/auth/authorize`);
  const params: Record<string, string | undefined> = {
    response_type: "code",
    client_id: p.clientId ?? CLIENT_ID,
    redirect_uri: p.redirectUri ?? REDIRECT_URI,
    scope: p.scope ?? EHR_SCOPE,
    state: p.state ?? "state-123",
    aud: p.aud ?? sb.fhirBase,
    launch: p.launch,
    code_challenge: p.challenge,
    code_challenge_method: p.method ?? "S256",
    ...p.extra,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return fetch(url, { redirect: "manual", headers: p.cookie ? { cookie: p.cookie } : {} });
}

/** The app-side URL the authorize request redirected to. */
export function redirectTarget(res: Response): URL {
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

export async function tokenRequest(sb: RunningSandbox, form: Record<string, string>): Promise<Response> {
  return fetch(`${sb.url}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

export type TokenResponse = SandboxToken;

/** A complete EHR launch for `patient`; returns the token response. */
/** A full EHR launch for `patient` (default p1): launcher, authorize with PKCE, token. */
export function login(
  sb: RunningSandbox,
  options: { patient?: string; scope?: string; launchParams?: Record<string, string> } = {},
): Promise<TokenResponse> {
  return loginToSandbox(sb, {
    patient: options.patient ?? "p1",
    scope: options.scope ?? EHR_SCOPE,
    clientId: CLIENT_ID,
    launchUri: LAUNCH_URI,
    redirectUri: REDIRECT_URI,
    launchParams: options.launchParams,
  });
}

export function fhir(sb: RunningSandbox, token: string | undefined, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/fhir+json");
  return fetch(`${sb.fhirBase}/${path}`, { ...init, headers });
}

export async function fhirJson<T = any>(sb: RunningSandbox, token: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fhir(sb, token, path, init);
  const text = await res.text();
  expect(res.ok, `${res.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

/** Follows `next` links from `path`; returns every page. */
export async function allPages(sb: RunningSandbox, token: string, path: string, maxPages = 200): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  let url: string | undefined = `${sb.fhirBase}/${path}`;
  while (url && pages.length < maxPages) {
    const res: Response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Bundle;
    pages.push(page);
    url = page.link?.find((l) => l.relation === "next")?.url;
  }
  return pages;
}
