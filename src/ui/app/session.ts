import type Client from "fhirclient/lib/Client";
import { browserExtractor } from "../../documents/browser";
import { findEhr, type EhrEntry, type SmartConfig } from "../../session/config";
import type { ReadyOutcome } from "../../session/ready";
import { problems, type Problem } from "../../session/problems";
import { backgroundAssess } from "../record/assess/assessClient";
import { startEarlyLoad, type EarlyLoad } from "../record/earlyLoad";

/** A launched session: the client, and the deployment settings of its EHR. */
export interface Session {
  client: Client;
  ehr: EhrEntry;
  /** Canonical app URL for identifiers of written resources (smart-config.json appUrl). */
  appUrl: string;
  /** The record's load, started with the session (before React renders the screen). */
  load: EarlyLoad;
}

/** What the launch ended in: a session with its load under way, or a problem to show. */
export type SessionOutcome = { phase: "problem"; problem: Problem } | ({ phase: "ready" } & Session);

/** Attachments to text, in the browser (pdf.js loads in its own worker on the first PDF only). */
const documentReader = browserExtractor();

/** What the loader is told for this EHR (its quirks from smart-config.json) and how it reads documents. */
export function loadOptionsFor(ehr: EhrEntry) {
  return { quirks: ehr.quirks, extractor: documentReader };
}

/**
 * Waits for the SMART launch and the deployment's settings, then starts the engine's worker and
 * the record's load at once: before any React render, which on the first paint costs the main
 * thread 50–100 ms (MUI's styles) that the first requests would otherwise wait for (issue 13).
 */
export async function startSession(launch: Promise<ReadyOutcome>, config: Promise<SmartConfig>): Promise<SessionOutcome> {
  const outcome = await launch;
  if (!outcome.ok) return { phase: "problem", problem: outcome.problem };
  let settings: SmartConfig;
  try {
    settings = await config;
  } catch (error) {
    return { phase: "problem", problem: problems.configUnreadable((error as Error).message) };
  }
  const serverUrl = outcome.client.state.serverUrl;
  const ehr = findEhr(settings, serverUrl);
  // The launch page checked the issuer; the config may have been edited since.
  if (!ehr) return { phase: "problem", problem: problems.unknownIssuer(serverUrl) };
  backgroundAssess();
  const load = startEarlyLoad(outcome.client, loadOptionsFor(ehr));
  return { phase: "ready", client: outcome.client, ehr, appUrl: settings.appUrl ?? new URL(".", window.location.href).href, load };
}
