/**
 * Attachments in an export: a report's or note's text lives in inline data or in a Binary of the
 * same export (Bulk Data exports Binary as NDJSON too). Each is resolved within the export only
 * (the CLI fetches nothing) and read with the Node extractor, as the app does with the browser's.
 */
import { existsSync } from "node:fs";
import type { Resource } from "fhir/r4";
import { attachmentSlots } from "../clinical/attachments";
import type { AttachmentText } from "../clinical/types";
import { nodeExtractor } from "../documents/node";
import { readAttachments, type AttachmentSource, type LoadedBytes } from "../documents/read";
import type { TextExtractor } from "../documents/types";
import { LineReader } from "./lines";
import { binaryPoolFile, bucketOf } from "./partition";

type Json = Record<string, unknown>;

const BINARY_URL_RE = /(?:^|\/)Binary\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** The Binaries that name no patient, read one pool bucket at a time (the last one kept). */
export class BinaryPool {
  private cached: { bucket: number; byId: Map<string, Json> } | null = null;

  constructor(
    private readonly dir: string,
    private readonly buckets: number,
    private readonly writers: number,
  ) {}

  get(id: string): Json | undefined {
    const bucket = bucketOf(id, this.buckets);
    if (this.cached?.bucket !== bucket) this.cached = { bucket, byId: this.load(bucket) };
    return this.cached.byId.get(id);
  }

  private load(bucket: number): Map<string, Json> {
    const byId = new Map<string, Json>();
    for (let w = 0; w < this.writers; w++) {
      const path = binaryPoolFile(this.dir, bucket, w);
      if (!existsSync(path)) continue;
      const reader = new LineReader(path, path);
      try {
        for (let line = reader.next(); line !== null; line = reader.next()) {
          const tab = line.indexOf("\t");
          if (tab > 0) byId.set(JSON.parse(line.slice(0, tab)) as string, JSON.parse(line.slice(tab + 1)) as Json);
        }
      } finally {
        reader.close();
      }
    }
    return byId;
  }
}

function base64Bytes(data: string): Uint8Array {
  return new Uint8Array(Buffer.from(data, "base64"));
}

let extractor: TextExtractor | undefined;

/** The texts of one patient's report and note attachments, for AssessOptions.attachments. */
export async function exportAttachments(resources: readonly Resource[], pool: BinaryPool | null): Promise<AttachmentText[]> {
  const own = new Map<string, Json>();
  for (const r of resources) if (r.resourceType === "Binary" && r.id) own.set(r.id, r as unknown as Json);
  const sources: (AttachmentSource & { data?: string; binaryId?: string })[] = [];
  for (const r of resources) {
    if (r.resourceType !== "DiagnosticReport" && r.resourceType !== "DocumentReference") continue;
    const ref = `${r.resourceType}/${r.id}`;
    for (const slot of attachmentSlots(r as unknown as Json, ref)) {
      const binaryId = slot.url ? BINARY_URL_RE.exec(slot.url)?.[1] : undefined;
      const location = binaryId ? `Binary/${binaryId}` : slot.url ? slot.url : slot.key;
      sources.push({ key: slot.key, owner: ref, contentType: slot.contentType, location, data: slot.data, binaryId });
    }
  }
  if (sources.length === 0) return [];
  const load = async (s: (typeof sources)[number]): Promise<LoadedBytes> => {
    if (s.data) return { ok: true, bytes: base64Bytes(s.data), contentType: s.contentType };
    const binary = s.binaryId ? (own.get(s.binaryId) ?? pool?.get(s.binaryId)) : undefined;
    if (!binary) {
      return {
        ok: false,
        reason: "not-fetched",
        message: s.binaryId ? `Binary/${s.binaryId} is not in the export` : `${s.location} is outside the export`,
      };
    }
    if (typeof binary.data !== "string") return { ok: false, reason: "not-fetched", message: `Binary/${s.binaryId} has no data` };
    return {
      ok: true,
      bytes: base64Bytes(binary.data),
      contentType: typeof binary.contentType === "string" ? binary.contentType : s.contentType,
    };
  };
  const outcomes = await readAttachments(sources, load, (extractor ??= nodeExtractor()));
  return [...outcomes].map(([key, outcome]) => ({ key, outcome }));
}
