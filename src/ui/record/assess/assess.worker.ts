/**
 * The engine in a Web Worker (src/clinical is pure), so that the main thread stays free to read
 * the next pages and paint while a large record is assessed. The record arrives in deltas: each
 * message carries the resources added since the last one (or the whole list, with `reset`).
 */
import { assess } from "../../../clinical";
import type { AssessRequest, AssessResponse } from "./protocol";
import { AssessmentDiffer } from "./share";

let resources: unknown[] = [];
const differ = new AssessmentDiffer();

self.onmessage = (event: MessageEvent<AssessRequest>) => {
  const { id, reset, added, options } = event.data;
  if (reset) {
    resources = [];
    differ.reset();
  }
  for (const r of added) resources.push(r);
  let reply: AssessResponse;
  try {
    reply = { id, delta: differ.delta(assess(resources as Parameters<typeof assess>[0], options)) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
