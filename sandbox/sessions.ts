/**
 * Server-side state of the SMART flow: launch contexts (from /launcher), authorization codes,
 * access tokens and refresh tokens. All opaque random strings, kept in memory; a restart forgets
 * them, as an EHR restart would.
 */
import { dice, type Faults } from "./faults";
import { randomId } from "./jwt";
import type { ResourceScope } from "./scopes";

export interface LaunchContext {
  id: string;
  patientId?: string;
  providerId?: string;
  /** Faults chosen at launch (override the global ones). */
  faults: Partial<Faults>;
  standalone: boolean;
  /** Opened in a frame of the sandbox's simulated EHR page, which shows the patient itself. */
  embedded?: boolean;
  createdAt: number;
}

/** What a token is about: carried from the code to the access and refresh tokens. */
export interface Grant {
  clientId: string;
  /** Granted scopes, space-separated (the token response's `scope`). */
  scope: string;
  resourceScopes: ResourceScope[];
  patientId?: string;
  encounterId?: string;
  /** "Practitioner/<id>" when openid + fhirUser were granted. */
  fhirUser?: string;
  nonce?: string;
  faults: Faults;
  /** False for an embedded launch: the EHR's page shows the patient (token response need_patient_banner). */
  needPatientBanner?: boolean;
}

export interface AuthCode extends Grant {
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

export interface Session extends Grant {
  accessToken: string;
  expiresAt: number;
  /** Shared by every token of one authorisation, so a seeded run fails the same requests. */
  roll: () => number;
}

export interface RefreshGrant extends Grant {
  refreshToken: string;
  expiresAt: number;
  roll: () => number;
}

const CODE_LIFETIME_MS = 5 * 60_000;
const REFRESH_LIFETIME_MS = 24 * 3600_000;
const LAUNCH_LIFETIME_MS = 24 * 3600_000;

export class Sessions {
  private readonly launches = new Map<string, LaunchContext>();
  private readonly codes = new Map<string, AuthCode>();
  /** Redeemed codes → the access token they produced (revoked if the code is replayed). */
  private readonly usedCodes = new Map<string, string | undefined>();
  private readonly tokens = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  createLaunch(context: Omit<LaunchContext, "id" | "createdAt">): LaunchContext {
    this.prune();
    const launch = { ...context, id: randomId(16), createdAt: Date.now() };
    this.launches.set(launch.id, launch);
    return launch;
  }

  launch(id: string | undefined): LaunchContext | undefined {
    return id ? this.launches.get(id) : undefined;
  }

  issueCode(grant: Omit<AuthCode, "expiresAt">): string {
    this.prune();
    const code = randomId();
    this.codes.set(code, { ...grant, expiresAt: Date.now() + CODE_LIFETIME_MS });
    return code;
  }

  /**
   * Takes a code out of circulation: codes are single-use whatever the outcome of the request that
   * presents them. A replayed code also revokes the token issued for it (RFC 6749 §4.1.2).
   */
  redeemCode(code: string): { code?: AuthCode; replayed: boolean } {
    if (this.usedCodes.has(code)) {
      const token = this.usedCodes.get(code);
      if (token) this.tokens.delete(token);
      return { replayed: true };
    }
    const found = this.codes.get(code);
    if (!found) return { replayed: false };
    this.codes.delete(code);
    this.usedCodes.set(code, undefined);
    return { code: found.expiresAt > Date.now() ? found : undefined, replayed: false };
  }

  issueTokens(grant: Grant, lifetimeS: number, options: { code?: string; refresh?: RefreshGrant; roll?: () => number }) {
    const roll = options.roll ?? dice(grant.faults.seed);
    const session: Session = { ...grant, accessToken: randomId(), expiresAt: Date.now() + lifetimeS * 1000, roll };
    this.tokens.set(session.accessToken, session);
    if (options.code) this.usedCodes.set(options.code, session.accessToken);
    let refresh = options.refresh;
    const scopes = grant.scope.split(" ");
    if (!refresh && (scopes.includes("online_access") || scopes.includes("offline_access"))) {
      refresh = { ...grant, refreshToken: randomId(), expiresAt: Date.now() + REFRESH_LIFETIME_MS, roll };
      this.refreshTokens.set(refresh.refreshToken, refresh);
    }
    return { session, refresh };
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    const grant = this.refreshTokens.get(token);
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }

  /** The session of an access token (also when expired: the caller says why it is refused). */
  session(accessToken: string): Session | undefined {
    return this.tokens.get(accessToken);
  }

  /** Forget what has expired (called as new state is created, so memory stays bounded). */
  private prune(): void {
    const now = Date.now();
    for (const [k, v] of this.launches) if (v.createdAt + LAUNCH_LIFETIME_MS < now) this.launches.delete(k);
    for (const [k, v] of this.codes) if (v.expiresAt < now) this.codes.delete(k);
    // Expired access tokens are kept an hour, to answer "expired" rather than "unknown".
    for (const [k, v] of this.tokens) if (v.expiresAt + 3600_000 < now) this.tokens.delete(k);
    for (const [k, v] of this.refreshTokens) if (v.expiresAt < now) this.refreshTokens.delete(k);
    if (this.usedCodes.size > 10_000) this.usedCodes.clear();
  }
}
