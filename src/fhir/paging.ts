import {
  isBundle,
  isResource,
  nextLink,
  pageContent,
  resourceRef,
  belongsToPatient,
  type FhirResourceLike,
  type PageContent,
} from "./compartment";
import { RequestFailedError, failureMessage } from "./failures";
import { continuationPriority } from "./priority";
import { requestJson, type RequestContext } from "./request";
import type { SearchSpec } from "./searchPlan";
import { underFhirBase } from "./transport";
import type { LoadFailure } from "./types";

/** How one search ended. Resources were already handed over page by page. */
export type SearchOutcome =
  { state: "done"; note?: string } | { state: "truncated"; reason: string } | { state: "failed"; failure: LoadFailure };

export interface SearchEvents {
  /** A request for this search is about to be sent. */
  onRequest(): void;
  onRetry(): void;
  /** One page arrived and was checked; `total` is Bundle.total of that page, when given. */
  onPage(content: PageContent, total: number | undefined): void;
}

export interface PagingOptions {
  patientId: string;
  maxPages: number;
  /** Absolute FHIR base URL (client.state.serverUrl). */
  serverUrl: string;
}

class Malformed extends RequestFailedError {
  constructor(message = failureMessage("malformed")) {
    super({ kind: "malformed", message });
  }
}

/**
 * Runs one search to its end: first page, then `next` links until there are none, the page cap is
 * reached, a `next` URL repeats (a loop), or a `next` URL leaves the FHIR base (another origin, or
 * another path on the same origin: the access token is sent only under the base). Failures other
 * than 401 end this search only; a 401 propagates (SessionExpiredError) and ends the load.
 */
export async function runSearch(
  spec: SearchSpec,
  ctx: RequestContext,
  options: PagingOptions,
  events: SearchEvents,
): Promise<SearchOutcome> {
  const base = new URL(options.serverUrl.replace(/\/*$/, "/"));
  const seen = new Set<string>();
  let url = spec.url;
  let pages = 0;
  let loaded = 0;
  let perPage = 0;
  let total: number | undefined;
  const hooks = { onAttempt: () => events.onRequest(), onRetry: () => events.onRetry() };

  try {
    for (;;) {
      seen.add(new URL(url, base).href);
      const remaining = total !== undefined && perPage > 0 ? Math.ceil(Math.max(0, total - loaded) / perPage) : undefined;
      let body: unknown;
      try {
        body = await requestJson(ctx, url, () => (pages === 0 ? spec.firstPagePriority : continuationPriority(remaining)), hooks);
      } catch (error) {
        // Some servers answer 400 to a `_sort` they do not support: drop it once and go on.
        if (
          pages === 0 &&
          url === spec.url &&
          spec.urlWithoutSort &&
          error instanceof RequestFailedError &&
          error.failure.kind === "bad-request" &&
          error.failure.httpStatus === 400
        ) {
          url = spec.urlWithoutSort;
          continue;
        }
        throw error;
      }

      if (spec.kind === "read") {
        if (!isResource(body) || body.resourceType !== spec.resourceType) throw new Malformed();
        const resource = body as FhirResourceLike;
        const own = belongsToPatient(resource, options.patientId, options.serverUrl);
        events.onPage({ kept: own ? [resource] : [], strays: own ? [] : [resourceRef(resource)], skipped: 0 }, undefined);
        if (own) return { state: "done" };
        return {
          state: "failed",
          failure: { kind: "malformed", message: "The EHR returned a different patient than the one in context; it was not shown." },
        };
      }
      if (!isBundle(body)) throw new Malformed();
      pages++;
      const content = pageContent(body, spec.resourceType, options.patientId, options.serverUrl);
      if (pages === 1 && typeof body.total === "number") total = body.total;
      const inPage = content.kept.length + content.strays.length;
      loaded += inPage;
      perPage = Math.max(perPage, inPage);
      events.onPage(content, pages === 1 ? total : undefined);

      const next = nextLink(body);
      if (!next) return { state: "done" };
      if (spec.resourceLimit && loaded >= spec.resourceLimit.count) return { state: "done", note: spec.resourceLimit.note };
      if (pages >= options.maxPages) {
        return { state: "truncated", reason: `page cap of ${options.maxPages} pages reached; older entries were not loaded` };
      }
      const nextUrl = underFhirBase(next, options.serverUrl);
      if (!nextUrl) {
        return { state: "truncated", reason: "the server's next link points outside its FHIR base URL (not followed)" };
      }
      if (seen.has(nextUrl.href)) {
        return { state: "truncated", reason: "the server's next link loops back to a page already read" };
      }
      url = nextUrl.href;
    }
  } catch (error) {
    if (error instanceof RequestFailedError) return { state: "failed", failure: error.failure };
    throw error;
  }
}
