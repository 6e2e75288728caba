/** Searches: paging windows and links, the `subject:Patient=` modifier, and the paging faults (endless, truncated, malformed). */
import { isOk } from "@medplum/core";
import type { ServerResponse } from "node:http";
import type { Bundle, OperationOutcome } from "fhir/r4";
import type { ScopedRepository } from "./access";
import { appliesTo, type Faults } from "./faults";
import type { FhirDeps } from "./fhirDeps";
import { answer, fhirRequest } from "./fhirMessages";
import { FHIR_JSON, HttpError, send } from "./http";
import { numberParam, pageLinks, pageWindow, type PageWindow } from "./paging";
import type { TypeFault } from "./typeFaults";

export async function search(
  res: ServerResponse,
  query: URLSearchParams,
  type: string,
  repo: ScopedRepository,
  faults: Faults,
  deps: FhirDeps,
  typeFault?: TypeFault,
): Promise<void> {
  let window: PageWindow;
  try {
    window = pageWindow(numberParam(query, "_count"), numberParam(query, "_offset"), deps.policy.paging);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  const endless = appliesTo(faults.endlessNext, type);
  const run = async (offset: number) => {
    const q = new URLSearchParams();
    // `subject:Patient=123` (a type modifier) means `subject=Patient/123`; Medplum's parser does not know it.
    for (const [k, v] of query) {
      const m = /^([^:]+):([A-Z][A-Za-z]+)$/.exec(k);
      if (m && !v.includes("/")) q.append(m[1], `${m[2]}/${v}`);
      else if (k !== "_count" && k !== "_offset") q.append(k, v);
    }
    q.set("_count", String(window.count));
    q.set("_offset", String(offset));
    return deps.router.handleRequest(fhirRequest("GET", `/${type}?${q}`), repo);
  };
  const [outcome, result] = await run(window.offset);
  if (!isOk(outcome)) return answer(res, deps.endpoints.fhirBase, outcome as OperationOutcome);
  let bundle = result as Bundle;
  // Endless next (fault): past the end, pages start again from the beginning, so they are not empty.
  if (endless && !bundle.entry?.length && (bundle.total ?? 0) > 0 && window.count > 0) {
    bundle = (await run(window.offset % bundle.total!))[1] as Bundle;
  }
  bundle.link = pageLinks(`${deps.endpoints.fhirBase}/${type}`, query, window, bundle.total ?? 0, endless);
  if (typeFault?.kind === "truncated") {
    // A next link back to this very page: the client's loop check cuts the search short.
    const self = bundle.link.find((l) => l.relation === "self")?.url ?? `${deps.endpoints.fhirBase}/${type}?${query}`;
    bundle.link = [...bundle.link.filter((l) => l.relation !== "next"), { relation: "next", url: self }];
  }
  const body = JSON.stringify(bundle);
  if (appliesTo(faults.malformed, type) || typeFault?.kind === "malformed") {
    // Malformed JSON (fault): the body is cut off half-way, as by a dropped connection.
    return send(res, 200, body.slice(0, Math.max(1, Math.floor(body.length / 2))), FHIR_JSON);
  }
  send(res, 200, body, FHIR_JSON);
}
