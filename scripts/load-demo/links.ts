/**
 * The launch links printed after an upload: the local sandbox's launcher per patient, a standalone
 * link for any server, the public SMART launcher's steps, and which entry of the development
 * smart-config.json (what `npm start` serves) lets the app accept the server as its issuer.
 */
import { readFileSync } from "node:fs";
import { findEhr, parseSmartConfig } from "../../src/session/config";
import { DEVELOPMENT_CONFIG } from "../dev-config";

export const PUBLIC_LAUNCHER = "https://launch.smarthealthit.org";

export interface LinkContext {
  /** The FHIR base the resources went to (--fhir). */
  fhirBase: string;
  /** The issuer a launch should name: the FHIR base, or the local sandbox's own name for itself. */
  iss: string;
  /** The app's base URL (directory), e.g. http://localhost:5173/ */
  appUrl: string;
  /** The patients to offer (those uploaded without failure). */
  patients: readonly string[];
}

/**
 * The local sandbox's origin when the FHIR base looks like one (a loopback host, a path ending in
 * /fhir): http://localhost:4010/fhir → http://localhost:4010.
 */
export function localSandboxUrl(fhirBase: string): string | undefined {
  const url = new URL(fhirBase);
  if (!["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return undefined;
  if (!/\/fhir\/?$/.test(url.pathname)) return undefined;
  return `${url.origin}${url.pathname.replace(/\/fhir\/?$/, "")}`;
}

export function isPublicSandbox(fhirBase: string): boolean {
  return new URL(fhirBase).origin === PUBLIC_LAUNCHER;
}

export function launchLinks(ctx: LinkContext): string[] {
  const launchPage = new URL("launch.html", ctx.appUrl).href;
  const lines = [`Launch links (the app's launch page: ${launchPage}):`];
  const sandbox = localSandboxUrl(ctx.fhirBase);
  if (sandbox && ctx.patients.length) {
    lines.push("  EHR launch from the local sandbox's launcher:");
    const width = Math.max(...ctx.patients.map((p) => p.length));
    for (const patient of ctx.patients) {
      const link = new URL(`${sandbox}/launcher`);
      link.searchParams.set("launch_uri", launchPage);
      link.searchParams.set("patient", patient);
      lines.push(`    ${patient.padEnd(width)}  ${link.href}`);
    }
  }
  const publicSandbox = isPublicSandbox(ctx.fhirBase);
  if (publicSandbox && ctx.patients.length) {
    lines.push(
      `  EHR launch from the public SMART sandbox's launcher: open ${PUBLIC_LAUNCHER}/,`,
      `    choose "Provider EHR Launch" and FHIR version R4, enter ${launchPage}`,
      `    as the App's Launch URL and one of these patient ids under Patient(s), then click Launch:`,
      `    ${ctx.patients.join(", ")}`,
    );
  }
  const standalone = new URL(launchPage);
  standalone.searchParams.set("iss", ctx.iss);
  lines.push("  Standalone launch (the EHR asks which patient):", `    ${standalone.href}`);
  if (publicSandbox) {
    lines.push(
      `    On the public sandbox, the launcher's "Provider Standalone Launch" type shows a Server's FHIR`,
      "    Base URL (…/v/r4/sim/…/fhir) that carries the launch options: use that URL as iss.",
    );
  }
  const entry = configEntryFor(ctx.iss);
  if (entry !== undefined) {
    lines.push(
      entry
        ? `  npm start's smart-config.json (scripts/smart-config.development.json) serves this issuer with its entry "${entry}".`
        : `  Note: no entry of scripts/smart-config.development.json (what npm start serves) matches ${ctx.iss}: the app refuses to launch from it until one does.`,
    );
  }
  return lines;
}

/** The name of the smart-config.json entry for `iss`, null if none matches, undefined if unreadable. */
function configEntryFor(iss: string): string | null | undefined {
  try {
    return findEhr(parseSmartConfig(JSON.parse(readFileSync(DEVELOPMENT_CONFIG, "utf8"))), iss)?.name ?? null;
  } catch {
    return undefined;
  }
}
