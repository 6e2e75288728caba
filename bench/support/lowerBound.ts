/**
 * What no loader of a given set of searches can beat, from what each request costs on this machine.
 *
 * Server time is measured by a zero-latency session of the same sandbox: every page of every
 * search fetched one at a time, so nothing competes (the sandbox's search, HTTP on loopback, the
 * JSON parse). Each request then costs at least latency + that time, and
 *
 *   bound = max(longest chain, all requests / concurrency)
 *
 * (in time: a chain's pages go one after another, since each `next` link comes with the page
 * before; and at most `concurrency` requests are in flight at once).
 */
import type { SearchSpec } from "../../src/fhir";

export interface ChainCosts {
  key: string;
  /** Zero-latency time of each page, ms. */
  pageMs: number[];
}

/** Every search's pages, one request at a time, with the token of a zero-latency session. */
export async function measureChains(fhirBase: string, accessToken: string, searches: SearchSpec[]): Promise<ChainCosts[]> {
  const out: ChainCosts[] = [];
  for (const spec of searches) {
    const pageMs: number[] = [];
    let url: string | undefined = new URL(spec.url, `${fhirBase}/`).href;
    while (url) {
      const t0 = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/fhir+json" } });
      if (!response.ok) throw new Error(`zero-latency ${spec.key}: HTTP ${response.status}`);
      const body = (await response.json()) as { link?: { relation?: string; url?: string }[] };
      pageMs.push(performance.now() - t0);
      url = spec.kind === "read" ? undefined : body.link?.find((l) => l.relation === "next")?.url;
    }
    out.push({ key: spec.key, pageMs });
  }
  return out;
}

/** Per page, the median over repeated measurements of the same chains. */
export function medianChains(runs: ChainCosts[][]): ChainCosts[] {
  return runs[0].map((chain, i) => ({
    key: chain.key,
    pageMs: chain.pageMs.map((_, k) => median(runs.map((r) => r[i].pageMs[k]))),
  }));
}

export interface Bound {
  ms: number;
  /** Which term decides: the longest chain, or the requests over the concurrency limit. */
  by: "chain" | "concurrency";
  longestChainMs: number;
  concurrencyMs: number;
  /** The same bound counted in requests (every request costs one latency). */
  rounds: number;
  requests: number;
  /** Sum of the zero-latency times: the server's and the parser's own work, done one after another. */
  serverMs: number;
}

export function lowerBound(chains: ChainCosts[], latencyMs: number, concurrency: number): Bound {
  const cost = (c: ChainCosts) => c.pageMs.reduce((a, s) => a + latencyMs + s, 0);
  const longestChainMs = Math.max(...chains.map(cost));
  const concurrencyMs = chains.reduce((a, c) => a + cost(c), 0) / concurrency;
  const requests = chains.reduce((a, c) => a + c.pageMs.length, 0);
  return {
    ms: Math.max(longestChainMs, concurrencyMs),
    by: longestChainMs >= concurrencyMs ? "chain" : "concurrency",
    longestChainMs,
    concurrencyMs,
    rounds: Math.max(...chains.map((c) => c.pageMs.length), Math.ceil(requests / concurrency)),
    requests,
    serverMs: chains.reduce((a, c) => a + c.pageMs.reduce((x, y) => x + y, 0), 0),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
