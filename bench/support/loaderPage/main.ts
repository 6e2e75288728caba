/**
 * The bench's page for the loader alone in the browser: the very `loaderLoad` of the Node baseline
 * (the app's loader, one assessment of the first and of the complete record, on this thread), with
 * the browser's document reader, and no screen. Driven by loaderInBrowser.ts.
 */
import { browserExtractor } from "../../../src/documents/browser";
import type { SmartClient } from "../../../src/fhir/transport";
import type { FhirClient } from "../../../test/integration/helpers/fhir-client";
import { loaderLoad, type LoadTiming } from "../loadWays";

export interface PageToken {
  serverUrl: string;
  patientId: string;
  accessToken: string;
}

function clientFor(token: PageToken): SmartClient {
  return {
    patient: { id: token.patientId },
    state: { serverUrl: token.serverUrl },
    refreshIfNeeded: async () => undefined,
    refresh: async () => {
      throw new Error("the bench page has no refresh token");
    },
    getAuthorizationHeader: () => `Bearer ${token.accessToken}`,
  };
}

(window as unknown as { runLoader(token: PageToken): Promise<LoadTiming> }).runLoader = (token) =>
  // loaderLoad types its client as fhirclient's; startRecordLoad uses only the SmartClient part.
  loaderLoad(clientFor(token) as unknown as FhirClient, { concurrency: 6, extractor: browserExtractor() });
