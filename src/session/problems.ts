/**
 * Launch and session problems: each one specific, with the next step for the person who sees it.
 * Pure data, rendered by the launch page (plain DOM) and by the app (MUI). Technical details are
 * shown behind a toggle and never carry tokens or codes.
 */

export type ProblemKind =
  | "no-issuer"
  | "unknown-issuer"
  | "open-server-not-allowed"
  | "config-unreadable"
  | "authorization-refused"
  | "token-refused"
  | "state-missing"
  | "session-expired"
  | "patient-mismatch"
  | "no-patient"
  | "other-patient-tab"
  | "unexpected";

export interface Problem {
  kind: ProblemKind;
  title: string;
  /** What happened, in plain words. */
  message: string;
  /** What the user (or hospital IT) should do next. */
  nextStep: string;
  /** Technical message for support, tokens removed. */
  details?: string;
}

/** Removes anything that looks like a credential from a technical message. */
export function redact(text: string): string {
  return text
    .replace(/(access_token|refresh_token|id_token|code|code_verifier|client_secret|launch)=([^&\s"]+)/gi, "$1=[removed]")
    .replace(/("(?:access_token|refresh_token|id_token|code_verifier)"\s*:\s*)"[^"]*"/gi, '$1"[removed]"')
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [removed]")
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[token removed]");
}

export const problems = {
  noIssuer(): Problem {
    return {
      kind: "no-issuer",
      title: "Open this app from the EHR",
      message: "The app was opened without telling it which EHR to connect to (no “iss” parameter).",
      nextStep: "Launch it from the patient's chart in your EHR, or from the sandbox's launch page.",
    };
  },
  unknownIssuer(iss: string): Problem {
    return {
      kind: "unknown-issuer",
      title: "This EHR is not configured",
      message: `The app was launched by ${iss}, which is not in this deployment's list of EHRs. No request was sent to it.`,
      nextStep:
        "Hospital IT: add an entry for this issuer (issMatch, clientId) to smart-config.json next to the app's pages; no rebuild is needed. Then launch again.",
    };
  },
  openServerNotAllowed(url: string): Problem {
    return {
      kind: "open-server-not-allowed",
      title: "Open-server launches are turned off",
      message: `The app was asked to read ${url} without authorisation (fhirServiceUrl). This deployment does not allow that.`,
      nextStep: 'Launch from the EHR instead. Hospital IT can set "allowOpenServer": true in smart-config.json for test servers only.',
    };
  },
  /** `reason` names the file, and the line and column when the file is there but invalid. */
  configUnreadable(reason: string): Problem {
    return {
      kind: "config-unreadable",
      title: "The app's settings could not be read",
      message: `The file that lists the EHRs this deployment serves is missing or invalid: ${reason}`,
      nextStep:
        "Hospital IT: fix smart-config.json next to the app's pages (npm run check-config -- <file> shows every problem), then launch again.",
    };
  },
  authorizationRefused(error: string, description: string | null): Problem {
    const known: Record<string, { message: string; nextStep: string }> = {
      invalid_client: {
        message: "The EHR does not recognise this app's client id.",
        nextStep: "Hospital IT: check that the clientId in smart-config.json matches the EHR's app registration.",
      },
      unauthorized_client: {
        message: "The EHR does not allow this app to use this way of signing in.",
        nextStep: "Hospital IT: the registration must allow a public client with the authorization-code grant and PKCE.",
      },
      invalid_scope: {
        message: "The EHR refused the permissions (scopes) the app asked for.",
        nextStep:
          'Hospital IT: register the scopes listed in the README ("Registering the app"), or set a narrower "scope" in smart-config.json.',
      },
      invalid_request: {
        message: "The EHR refused the sign-in request, for example because the redirect address is not registered.",
        nextStep: "Hospital IT: register this app's index.html address as a redirect URI.",
      },
      access_denied: {
        message: "Access was declined, by you or by the EHR's policy.",
        nextStep: "Launch again and approve access, or ask your EHR administrator for access to this app.",
      },
    };
    const entry = known[error] ?? {
      message: "The EHR refused to authorise the app.",
      nextStep: "Launch the app again from the EHR. If it keeps failing, give the details below to hospital IT.",
    };
    return {
      kind: "authorization-refused",
      title: "The EHR refused the sign-in",
      message: `${entry.message} (${error}${description ? `: ${description}` : ""})`,
      nextStep: entry.nextStep,
    };
  },
  tokenRefused(details: string): Problem {
    return {
      kind: "token-refused",
      title: "The EHR did not issue an access token",
      message: "Sign-in started, but the EHR refused to exchange the authorisation code for an access token.",
      nextStep: "Launch the app again from the EHR. If it keeps failing, give the details below to hospital IT.",
      details: redact(details),
    };
  },
  stateMissing(): Problem {
    return {
      kind: "state-missing",
      title: "This sign-in cannot be completed here",
      message:
        "The page was opened without the sign-in it belongs to: it was reloaded from an old address, opened in another tab, or the sign-in was already used.",
      nextStep: "Launch the app again from the patient's chart in the EHR.",
    };
  },
  sessionExpired(): Problem {
    return {
      kind: "session-expired",
      title: "Your session has expired",
      message: "The EHR no longer accepts this app's access. Nothing you have not sent is lost: an unsent write-back draft is kept.",
      nextStep: "Relaunch the app from the same patient's chart in the EHR.",
    };
  },
  patientMismatch(inContext: string, received: string): Problem {
    return {
      kind: "patient-mismatch",
      title: "Patient mismatch: nothing is shown",
      message: `The EHR put patient ${inContext} in context but returned the record of ${received}. To avoid showing the wrong patient, the app stops here.`,
      nextStep: "Close this window and launch the app again from the patient's chart. Report this to hospital IT.",
    };
  },
  noPatient(): Problem {
    return {
      kind: "no-patient",
      title: "No patient in context",
      message: "The EHR did not say which patient this launch is for.",
      nextStep: "Launch the app from a patient's chart (or pick a patient in a standalone launch).",
    };
  },
  otherPatientTab(otherPatient: string, thisPatient: string): Problem {
    return {
      kind: "other-patient-tab",
      title: "Another patient is open in another tab",
      message: `This tab was launched for ${thisPatient}, but a newer launch in this browser is for ${otherPatient}. To avoid writing to the wrong chart, this tab is stopped.`,
      nextStep: "Close this tab and continue in the newest one, or relaunch from the chart you want.",
    };
  },
  unexpected(details: string): Problem {
    return {
      kind: "unexpected",
      title: "The app could not start",
      message: "Something unexpected stopped the launch.",
      nextStep: "Launch the app again from the EHR. If it keeps failing, give the details below to hospital IT.",
      details: redact(details),
    };
  },
};
