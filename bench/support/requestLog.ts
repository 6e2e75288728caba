/**
 * The FHIR requests each side of the browser bench made, so that the bench compares the same work:
 * the page's resource timing entries, and in Node every fetch under the FHIR base while the loader
 * runs (the loader's own `stats.requests` counts search pages only, not the attachments it reads
 * nor the CapabilityStatement).
 */

export interface RequestKinds {
  searches: number;
  attachments: number;
  capabilities: number;
}

export function kindsOf(urls: readonly string[]): RequestKinds {
  const out: RequestKinds = { searches: 0, attachments: 0, capabilities: 0 };
  for (const url of urls) {
    const path = new URL(url).pathname;
    if (/\/Binary\//.test(path)) out.attachments++;
    else if (/\/metadata$/.test(path)) out.capabilities++;
    else out.searches++;
  }
  return out;
}

export const kindsText = (k: RequestKinds) =>
  `${k.searches + k.attachments + k.capabilities} (${k.searches} search pages, ${k.attachments} attachments, ${k.capabilities} CapabilityStatement)`;

/** Runs `work` with every fetch under `fhirBase` logged (Node's global fetch, which src/fhir uses). */
export async function withFetchLog<T>(fhirBase: string, work: () => Promise<T>): Promise<{ value: T; urls: string[] }> {
  const urls: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(fhirBase)) urls.push(url);
    return original(input, init);
  }) as typeof fetch;
  try {
    return { value: await work(), urls };
  } finally {
    globalThis.fetch = original;
  }
}

/** The requests only one side made (a multiset difference either way); empty when both did the same. */
export function differences(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const count = new Map<string, number>();
  for (const u of a) count.set(u, (count.get(u) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const u of b) {
    const n = count.get(u) ?? 0;
    if (n > 0) count.set(u, n - 1);
    else onlyB.push(u);
  }
  const onlyA = [...count].flatMap(([u, n]) => Array<string>(n).fill(u));
  return { onlyA, onlyB };
}
