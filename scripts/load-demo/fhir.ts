/**
 * Plain fetch to a FHIR R4 server: JSON in and out (application/fhir+json), an optional bearer
 * token, a time limit per request, and a polite retry of 429 answers (Retry-After, up to 3 tries).
 * Errors carry the server's OperationOutcome text, never the token.
 */
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from "fhir/r4";

export const FHIR_JSON = "application/fhir+json";
const TIMEOUT_MS = 120_000;
const RETRIES_429 = 3;

/** The server could not be reached at all (refused, unknown host, timeout). */
export class UnreachableError extends Error {}

/** The server answered with an error status. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ""}`);
  }
}

export interface FhirClientOptions {
  bearer?: string;
  fetch?: typeof fetch;
  /** Waits between 429 retries (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

export class FhirClient {
  readonly base: string;
  /** Whether requests carry a bearer token. */
  readonly hasToken: boolean;
  private readonly origin: string;

  constructor(
    base: string,
    private readonly options: FhirClientOptions = {},
  ) {
    this.base = base.replace(/\/+$/, "");
    this.hasToken = !!options.bearer;
    this.origin = new URL(this.base).origin;
  }

  metadata(): Promise<CapabilityStatement> {
    return this.json<CapabilityStatement>("GET", `${this.base}/metadata`);
  }

  /**
   * The resources of `type` among `ids` that the server has (`_id=a,b,c`), following `next` links
   * on the server's own origin (the token is not sent elsewhere).
   */
  async existing(type: string, ids: readonly string[]): Promise<Resource[]> {
    const found: Resource[] = [];
    const query = new URLSearchParams({ _id: ids.join(","), _count: String(ids.length) });
    let url: string | undefined = `${this.base}/${type}?${query}`;
    for (let page = 0; url && page < 100; page++) {
      const bundle: Bundle = await this.json<Bundle>("GET", url);
      for (const e of bundle.entry ?? []) {
        const r = e.resource;
        if (r?.resourceType === type && r.id && (!e.search?.mode || e.search.mode === "match")) found.push(r);
      }
      const next = bundle.link?.find((l) => l.relation === "next")?.url;
      url = next && new URL(next, this.base).origin === this.origin ? new URL(next, this.base).href : undefined;
    }
    return found;
  }

  /** POSTs a transaction Bundle; the transaction-response Bundle, or an HttpStatusError. */
  transaction(bundle: Bundle): Promise<Bundle> {
    return this.json<Bundle>("POST", this.base, bundle);
  }

  private async json<T>(method: "GET" | "POST", url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: FHIR_JSON };
    if (this.options.bearer) headers.authorization = `Bearer ${this.options.bearer}`;
    if (body !== undefined) headers["content-type"] = FHIR_JSON;
    const init: RequestInit = { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
    const doFetch = this.options.fetch ?? fetch;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (e) {
        throw new UnreachableError(networkReason(e));
      }
      const text = await res.text().catch(() => "");
      if (res.status === 429 && attempt < RETRIES_429) {
        const wait = Math.min(Number(res.headers.get("retry-after")) || 1, 10);
        await sleep(wait * 1000);
        continue;
      }
      if (!res.ok) throw new HttpStatusError(res.status, outcomeText(text));
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new HttpStatusError(res.status, `the answer to ${method} ${new URL(url).pathname} is not JSON`);
      }
    }
  }
}

/** "ECONNREFUSED", "ENOTFOUND", "timed out after 120 s", … */
function networkReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`;
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

/** The OperationOutcome's issue texts, or the start of a non-FHIR body. */
export function outcomeText(body: string): string {
  try {
    const json = JSON.parse(body) as Partial<OperationOutcome> & { error?: string; error_description?: string };
    if (json.resourceType === "OperationOutcome") {
      const texts = (json.issue ?? []).map((i) => i.details?.text ?? i.diagnostics ?? i.code).filter(Boolean);
      if (texts.length) return texts.join("; ");
    }
    if (json.error) return [json.error, json.error_description].filter(Boolean).join(": ");
  } catch {
    // not JSON: fall through
  }
  const flat = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
