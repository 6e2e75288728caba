/**
 * launch.html: reads smart-config.json, picks the EHR entry for the issuer, and starts the SMART
 * authorisation (PKCE S256 required). Nothing else: this page must stay small and fast.
 */
import FHIR from "fhirclient";
import { fetchWellKnownJson } from "fhirclient/lib/smart";
import { findEhr, loadSmartConfig } from "./session/config";
import { problems, type Problem } from "./session/problems";
import { renderProblem } from "./session/problem-dom";
import { buildScope, scopeVersionFromSmartConfiguration } from "./session/scopes";

async function startLaunch(): Promise<Problem | null> {
  const url = new URL(window.location.href);
  const iss = url.searchParams.get("iss");
  const openServerUrl = url.searchParams.get("fhirServiceUrl");

  let config;
  try {
    config = await loadSmartConfig(window.location.href);
  } catch (error) {
    return problems.configUnreadable((error as Error).message);
  }
  if (openServerUrl && !iss && !config.allowOpenServer) return problems.openServerNotAllowed(openServerUrl);
  const serverUrl = iss ?? openServerUrl;
  if (!serverUrl) return problems.noIssuer();
  // Refused before any request is sent to an issuer we do not know.
  const ehr = findEhr(config, serverUrl);
  if (!ehr) return problems.unknownIssuer(serverUrl);

  // fhirclient lets URL parameters override the configured client id and open-server settings;
  // only smart-config.json may decide those, so they are dropped from the address first.
  for (const name of ["clientId", "patientId", ...(config.allowOpenServer ? [] : ["fhirServiceUrl"])]) {
    url.searchParams.delete(name);
  }
  window.history.replaceState(null, "", url.href);

  const mode = url.searchParams.has("launch") ? "ehr" : "standalone";
  let scope = ehr.scope;
  if (!scope) {
    // fhirclient caches this document, so authorize() below does not fetch it again.
    const smartConfiguration = iss ? await fetchWellKnownJson(iss).catch(() => null) : null;
    scope = buildScope(mode, ehr.scopeVersion ?? scopeVersionFromSmartConfiguration(smartConfiguration));
  }
  await FHIR.oauth2.authorize({
    clientId: ehr.clientId,
    scope,
    redirectUri: "index.html",
    pkceMode: "required",
    // EHRs often embed apps in a frame: finish the sign-in in that same frame.
    completeInTarget: true,
  });
  return null;
}

const root = document.getElementById("root") as HTMLElement;
startLaunch()
  .then((problem) => {
    if (problem) renderProblem(root, problem);
  })
  .catch((error: Error) => renderProblem(root, problems.unexpected(error.message)));
