/**
 * The sandbox's HTML: the launch page (GET /), the standalone patient picker and error pages.
 * Plain forms and links, no script; everything from data goes through escapeHtml.
 */
import { AUTH_ERRORS, AUTH_ERROR_LABELS } from "./faults";
import { escapeHtml as h } from "./http";

export interface PatientSummary {
  id: string;
  name?: string;
  summary?: string;
  expectedStatus?: string;
}

const STYLE = `
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
  header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
  header { border-bottom: 1px solid #d0d7de; }
  h1 { font-size: 1.5rem; margin: 0.5rem 0; }
  h2 { font-size: 1.2rem; margin-top: 2rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
  th, td { border: 1px solid #d0d7de; padding: 0.5rem; text-align: left; vertical-align: top; }
  a { color: #0b57d0; }
  a:focus, button:focus, select:focus, input:focus { outline: 3px solid #1f6feb; outline-offset: 2px; }
  .actions a { display: inline-block; margin: 0 0.75rem 0.25rem 0; }
  form.grid { display: grid; grid-template-columns: max-content minmax(12rem, 28rem); gap: 0.5rem 1rem; align-items: center; background: #fff; padding: 1rem; border: 1px solid #d0d7de; }
  .hint { color: #57606a; font-size: 0.9rem; }
  button { font: inherit; padding: 0.4rem 1rem; margin: 0.25rem 0.5rem 0.25rem 0; cursor: pointer; }
  ul.patients { list-style: none; padding: 0; }
  ul.patients li { margin: 0.5rem 0; }
  ul.patients button { width: 100%; text-align: left; background: #fff; border: 1px solid #8c959f; border-radius: 6px; padding: 0.75rem; }
  .error { border-left: 6px solid #b3261e; background: #fff; padding: 1rem; }
  code { background: #eef1f4; padding: 0 0.25rem; }
  input[type=url] { width: 100%; box-sizing: border-box; font: inherit; }
  body.ehr { display: flex; flex-direction: column; height: 100vh; }
  .ehr-banner { max-width: none; margin: 0; background: #12355b; color: #fff; padding: 0.5rem 1.5rem; display: flex; flex-wrap: wrap; gap: 0.25rem 2rem; align-items: baseline; }
  .ehr-banner h1 { font-size: 1.2rem; margin: 0; }
  .ehr-banner a { color: #fff; }
  .ehr-banner code { background: #0b2540; color: #fff; }
  .ehr-tabs { background: #e3e8ee; padding: 0.25rem 1.5rem; border-bottom: 1px solid #d0d7de; }
  .ehr-tabs span { display: inline-block; margin-right: 1.5rem; color: #57606a; }
  .ehr-tabs span[aria-current] { color: #1b1f24; font-weight: 600; }
  iframe.smart-app { flex: 1; width: 100%; border: 0; background: #fff; }
`;

function page(title: string, body: string, bodyClass?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body${bodyClass ? ` class="${bodyClass}"` : ""}>
${body}
</body>
</html>`;
}

export interface LaunchPageInput {
  patients: PatientSummary[];
  fhirBase: string;
  /** The app's launch URL every link uses: the default, or the one typed in (kept in this page's address). */
  appLaunchUrl: string;
  /** The default launch URL (APP_ORIGIN): the form offers to go back to it. */
  defaultAppLaunchUrl: string;
  /** Why a typed launch URL was not taken, shown above the form. */
  appLaunchUrlError?: string;
}

/**
 * GET /: the app's launch URL (any URL, so an app under a sub-path can be tried), the demo patients
 * with their launch links (EHR, standalone, embedded in a simulated EHR page), and a form for
 * launches with simulated faults.
 */
export function launchPage({ patients, fhirBase, appLaunchUrl, defaultAppLaunchUrl, appLaunchUrlError }: LaunchPageInput): string {
  const link = (params: Record<string, string>) => `/launcher?${new URLSearchParams({ launch_uri: appLaunchUrl, ...params })}`;
  const rows = patients
    .map(
      (p) => `<tr>
  <th scope="row"><code>${h(p.id)}</code>${p.name ? `<br>${h(p.name)}` : ""}</th>
  <td>${h(p.summary ?? "")}${p.expectedStatus ? `<br><span class="hint">Expected: ${h(p.expectedStatus)}</span>` : ""}</td>
  <td class="actions">
    <a href="${h(link({ patient: p.id }))}" aria-label="Launch (EHR) for ${h(p.id)}">Launch (EHR)</a>
    <a href="${h(link({ patient: p.id, launch_type: "standalone" }))}" aria-label="Launch (standalone) for ${h(p.id)}">Launch (standalone)</a>
    <a href="${h(link({ patient: p.id, launch_type: "embedded" }))}" aria-label="Launch (embedded) for ${h(p.id)}">Launch (embedded)</a>
  </td>
</tr>`,
    )
    .join("\n");
  const options = patients.map((p) => `<option value="${h(p.id)}">${h(p.id)}${p.name ? ` (${h(p.name)})` : ""}</option>`).join("");
  const errors = AUTH_ERRORS.map((e) => `<option value="${h(e)}">${h(AUTH_ERROR_LABELS[e])} (${h(e)})</option>`).join("");
  return page(
    "SMART sandbox: launch",
    `<header>
  <h1>SMART sandbox (local EHR simulator)</h1>
  <p>FHIR base: <code>${h(fhirBase)}</code> · App launch URL: <code>${h(appLaunchUrl)}</code></p>
</header>
<main>
  <h2 id="app">The app to launch</h2>
  ${appLaunchUrlError ? `<div class="error" role="alert"><p>${h(appLaunchUrlError)}</p></div>` : ""}
  <form class="grid" method="get" action="/" aria-labelledby="app">
    <label for="launch_uri">App launch URL</label>
    <input id="launch_uri" name="launch_uri" type="url" required value="${h(appLaunchUrl)}" aria-describedby="launch-uri-hint">
    <span></span>
    <span id="launch-uri-hint" class="hint">Any http(s) address of the app's launch page, e.g. under a sub-path
      (<code>https://apps.example.org/calcinosis/launch.html</code>). Every launch on this page uses it; it is kept in
      this page's address, so a reload or a bookmark keeps it.</span>
    <span></span>
    <span><button type="submit">Use this app</button>${
      appLaunchUrl !== defaultAppLaunchUrl ? ` <a href="/">Back to the default (${h(defaultAppLaunchUrl)})</a>` : ""
    }</span>
  </form>
  ${
    patients.length
      ? `<table>
  <caption>Demo patients</caption>
  <thead><tr><th scope="col">Patient</th><th scope="col">Summary</th><th scope="col">Launch</th></tr></thead>
  <tbody>
${rows}
  </tbody>
</table>
  <p class="hint">Embedded: the app opens in a frame inside a simulated EHR chart, as EHRs embed SMART apps; the
    launch says <code>need_patient_banner: false</code>, since the chart shows the patient. The app's deployment must
    list this sandbox's origin in its CSP frame-ancestors.</p>`
      : `<p>No demo patients are loaded.</p>`
  }
  <h2 id="simulate">Launch with a simulated problem</h2>
  <form class="grid" method="get" action="/launcher" aria-labelledby="simulate">
    <input type="hidden" name="launch_uri" value="${h(appLaunchUrl)}">
    <label for="patient">Patient</label>
    <select id="patient" name="patient">${options}</select>
    <label for="auth_error">Simulated error</label>
    <select id="auth_error" name="auth_error"><option value="">None</option>${errors}</select>
    <label for="latency_ms">Latency per FHIR request (ms)</label>
    <input id="latency_ms" name="latency_ms" type="number" min="0" max="60000" step="1" inputmode="numeric">
    <label for="fail_rate">Share of 500 answers (0–1)</label>
    <input id="fail_rate" name="fail_rate" type="number" min="0" max="1" step="0.05">
    <label for="rate_limit">Share of 429 answers (0–1)</label>
    <input id="rate_limit" name="rate_limit" type="number" min="0" max="1" step="0.05">
    <label for="malformed">Malformed JSON for searches of</label>
    <input id="malformed" name="malformed" type="text" placeholder="e.g. Observation,Condition or *" aria-describedby="types-hint">
    <label for="endless_next">Endless next link for searches of</label>
    <input id="endless_next" name="endless_next" type="text" placeholder="e.g. Observation" aria-describedby="types-hint">
    <label for="expire_after_s">Access token expires after (s)</label>
    <input id="expire_after_s" name="expire_after_s" type="number" min="1" max="86400" step="1" inputmode="numeric">
    <span></span>
    <span id="types-hint" class="hint">Resource types, comma-separated; * for all.</span>
    <span></span>
    <span>
      <button type="submit" name="launch_type" value="ehr">Launch (EHR)</button>
      <button type="submit" name="launch_type" value="standalone">Launch (standalone)</button>
      <button type="submit" name="launch_type" value="embedded">Launch (embedded)</button>
    </span>
  </form>
</main>
<footer>
  <p><a href="/debug/writes">What the app has written (/debug/writes)</a> · <a href="${h(fhirBase)}/.well-known/smart-configuration">smart-configuration</a> · <a href="${h(fhirBase)}/metadata">CapabilityStatement</a></p>
</footer>`,
  );
}

/**
 * An embedded launch: a simulated EHR chart (its own patient banner, tabs) with the app in a frame,
 * opened at its launch URL with `iss` and `launch`, as EHRs embed SMART apps.
 */
export function embeddedLaunchPage(patient: PatientSummary | undefined, appFrameUrl: string): string {
  return page(
    `SMART sandbox: ${patient?.name ?? patient?.id ?? "no patient"} (embedded launch)`,
    `<header class="ehr-banner" aria-label="Simulated EHR">
  <h1 data-testid="ehr-patient">${patient ? `${h(patient.name ?? patient.id)} <code>${h(patient.id)}</code>` : "No patient in context"}</h1>
  <span>Simulated EHR chart · the SMART app below runs in a frame</span>
  <a href="/">Back to the launch page</a>
</header>
<nav class="ehr-tabs" aria-label="Chart"><span>Summary</span><span>Results</span><span>Imaging</span><span aria-current="page">Calcinosis check</span></nav>
<iframe class="smart-app" title="Calcinosis check (SMART app)" src="${h(appFrameUrl)}"></iframe>`,
    "ehr",
  );
}

/** The standalone-launch patient picker: one submit button per patient, back to /auth/authorize. */
export function patientPicker(patients: PatientSummary[], authorizeParams: URLSearchParams, suggested?: string): string {
  const hidden = [...authorizeParams]
    .filter(([k]) => k !== "patient" && k !== "deny")
    .map(([k, v]) => `<input type="hidden" name="${h(k)}" value="${h(v)}">`)
    .join("\n    ");
  const ordered = [...patients].sort((a, b) => Number(b.id === suggested) - Number(a.id === suggested));
  const items = ordered
    .map(
      (p) => `<li><button type="submit" name="patient" value="${h(p.id)}">
        <strong>${h(p.id)}</strong>${p.name ? ` · ${h(p.name)}` : ""}${p.id === suggested ? " (chosen on the launch page)" : ""}
        ${p.summary ? `<br><span class="hint">${h(p.summary)}</span>` : ""}
      </button></li>`,
    )
    .join("\n");
  return page(
    "SMART sandbox: select a patient",
    `<header><h1 id="pick">Select a patient</h1><p>The app asked for a patient in context (standalone launch).</p></header>
<main>
  <form method="get" action="/auth/authorize" aria-labelledby="pick">
    ${hidden}
    <ul class="patients">
${items}
    </ul>
    <button type="submit" name="deny" value="1">Cancel (deny access)</button>
  </form>
</main>`,
  );
}

/** An error the sandbox shows itself (it must not redirect, e.g. an unregistered redirect_uri). */
export function errorPage(title: string, message: string, details?: string): string {
  return page(
    `SMART sandbox: ${title}`,
    `<header><h1>${h(title)}</h1></header>
<main>
  <div class="error" role="alert">
    <p>${h(message)}</p>
    ${details ? `<p class="hint">${h(details)}</p>` : ""}
  </div>
  <p><a href="/">Back to the launch page</a></p>
</main>`,
  );
}
