/**
 * Sandbox options: what startSandbox() accepts, their defaults, and the environment variables the
 * command line (sandbox/main.ts) reads.
 */
import type { Resource } from "fhir/r4";
import type { BulkOptions } from "./bulk/routes";
import type { DemoPatient } from "./data/index";
import { faultsFromEnv, type Faults } from "./faults";

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 4010 (SANDBOX_PORT). */
  port?: number;
  /** Interface to bind. Default 127.0.0.1: the sandbox is for this machine only. */
  host?: string;
  /** Origin of the app the launch page links to. Default http://localhost:5173 (APP_ORIGIN, or APP_PORT). */
  appOrigin?: string;
  /** Path of the app's launch page on appOrigin. Default /launch.html. */
  appLaunchPath?: string;
  /** Added latency per FHIR request, in ms, for every token (SANDBOX_LATENCY_MS). Same as faults.latencyMs. */
  latencyMs?: number;
  /** Largest page a search returns; larger `_count` values are capped. Default 100 (SANDBOX_MAX_PAGE). */
  maxPageSize?: number;
  /** Page size without `_count`. Default 20 (SANDBOX_DEFAULT_PAGE). */
  defaultPageSize?: number;
  /**
   * "full" (default): transactions and conditional create, listed in the CapabilityStatement.
   * "basic": neither is listed; transactions are refused and If-None-Exist is ignored, as by a
   * server without them (SANDBOX_CAPABILITIES=basic).
   */
  capabilities?: "full" | "basic";
  /** Access token lifetime in seconds. Default 3600. */
  tokenLifetimeS?: number;
  /** Validate created and updated resources against the R4 definitions (400 with the issues). Default true. */
  validateWrites?: boolean;
  /** Global fault defaults; a launch's own fault parameters override them (SANDBOX_FAULT_*). */
  faults?: Partial<Faults>;
  /** The patients to serve. Default: loadDemoPatients() from sandbox/data. */
  patients?: DemoPatient[];
  /** More resources to load (tests: a small patient of their own). */
  extraResources?: Resource[];
  /** Bulk Data export: polls before the manifest, Retry-After, file size, refused types, faults. */
  bulk?: BulkOptions;
  /** Practitioner id used as fhirUser when a launch names no provider. */
  defaultProviderId?: string;
}

export const DEFAULT_PORT = 4010;
export const DEFAULT_APP_ORIGIN = "http://localhost:5173";

/** Options from the environment, for `npm run sandbox`. Throws an Error naming a bad variable. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxOptions {
  const int = (name: string): number | undefined => {
    const v = env[name]?.trim();
    if (!v) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
    return Number(v);
  };
  const capabilities = env.SANDBOX_CAPABILITIES?.trim();
  if (capabilities && capabilities !== "full" && capabilities !== "basic") {
    throw new Error(`SANDBOX_CAPABILITIES must be "full" or "basic", got "${capabilities}"`);
  }
  const appPort = int("APP_PORT");
  return {
    port: int("SANDBOX_PORT") ?? DEFAULT_PORT,
    appOrigin: env.APP_ORIGIN?.trim() || (appPort !== undefined ? `http://localhost:${appPort}` : undefined),
    maxPageSize: int("SANDBOX_MAX_PAGE"),
    defaultPageSize: int("SANDBOX_DEFAULT_PAGE"),
    capabilities: capabilities as SandboxOptions["capabilities"],
    tokenLifetimeS: int("SANDBOX_TOKEN_LIFETIME_S"),
    faults: faultsFromEnv(env),
  };
}
