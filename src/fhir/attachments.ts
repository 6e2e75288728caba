import { attachmentSlots } from "../clinical/attachments";
import type { AttachmentText } from "../clinical/types";
import { readAttachments, type AttachmentOutcome, type AttachmentSource, type LoadedBytes } from "../documents/read";
import type { TextExtractor } from "../documents/types";
import type { FhirResourceLike } from "./compartment";
import { RequestFailedError } from "./failures";
import { PRIORITY } from "./priority";
import { requestFhir, type RequestContext } from "./request";
import { underFhirBase, type RawBody } from "./transport";

/**
 * The attachments of the reports and notes the loader receives (DiagnosticReport.presentedForm,
 * DocumentReference.content): inline data, or a Binary under the FHIR base fetched with the
 * session's token and Accept set to the attachment's type. Each distinct Binary is fetched once,
 * within the loader's request limit, a size cap per attachment and a total budget; whatever is not
 * read says why (the engine lists it, and never takes it for silence).
 */

export interface AttachmentLimits {
  /** Largest attachment read, bytes (a longer one is cut and not parsed). */
  maxBytes: number;
  /** Bytes read for all attachments of one load. */
  totalBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = Object.freeze({ maxBytes: 10 * 1024 * 1024, totalBytes: 64 * 1024 * 1024 });

export interface AttachmentProgress {
  /** Reports and notes with attachments, so far. */
  total: number;
  /** Those whose attachments are read, or known not to be readable. */
  settled: number;
  /** Binaries requested from the EHR (each distinct one once; inline data costs none). */
  fetches: number;
}

const JSON_TYPE = /\bjson\b/i;

function fromBase64(data: string): Uint8Array {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** A Binary answered as raw bytes, or as a FHIR Binary resource (JSON, base64 `data`). */
export function binaryBytes(body: RawBody, askedType: string): LoadedBytes {
  if (JSON_TYPE.test(body.contentType)) {
    try {
      const json = JSON.parse(new TextDecoder().decode(body.bytes)) as { resourceType?: unknown; data?: unknown; contentType?: unknown };
      if (json.resourceType === "Binary") {
        if (typeof json.data !== "string") return { ok: false, reason: "not-fetched", message: "the EHR's Binary has no data" };
        return { ok: true, bytes: fromBase64(json.data), contentType: typeof json.contentType === "string" ? json.contentType : askedType };
      }
    } catch {
      // Not a FHIR Binary after all: the bytes as sent.
    }
  }
  return { ok: true, bytes: body.bytes, contentType: body.contentType || askedType };
}

export class AttachmentReader {
  private readonly outcomes = new Map<string, AttachmentOutcome>();
  /** texts() as last handed out, until an outcome arrives: unchanged texts keep their identity. */
  private handedOut: AttachmentText[] | null = null;
  private readonly cache = new Map<string, Promise<AttachmentOutcome>>();
  private readonly running: Promise<unknown>[] = [];
  /** Documents (reports, notes) with attachments offered, and those whose reading has ended. */
  private known = 0;
  private done = 0;
  private fetches = 0;
  private bytesUsed = 0;

  constructor(
    private readonly ctx: RequestContext,
    private readonly serverUrl: string,
    private readonly extractor: TextExtractor | undefined,
    private readonly limits: AttachmentLimits,
    private readonly onChange: () => void,
  ) {}

  /** Starts reading the attachments of these resources (reports and notes; others are ignored). */
  offer(resources: readonly FhirResourceLike[]): void {
    const sources: (AttachmentSource & { data?: string; report: boolean })[] = [];
    for (const r of resources) {
      if (r.resourceType !== "DiagnosticReport" && r.resourceType !== "DocumentReference") continue;
      const ref = `${r.resourceType}/${r.id}`;
      for (const slot of attachmentSlots(r, ref)) {
        const url = slot.url ? underFhirBase(slot.url, this.serverUrl) : null;
        const location = slot.data ? slot.key : url ? url.href : `outside:${slot.url}`;
        sources.push({
          key: slot.key,
          owner: ref,
          contentType: slot.contentType,
          location,
          data: slot.data,
          report: r.resourceType === "DiagnosticReport",
        });
      }
    }
    const owners = new Map<string, typeof sources>();
    for (const s of sources) owners.set(s.owner, [...(owners.get(s.owner) ?? []), s]);
    for (const formats of owners.values()) {
      this.known++;
      const run = readAttachments(formats, (s) => this.load(s), this.extractor ?? NO_READER, {
        cache: this.cache,
        onOutcome: (key, outcome) => {
          this.outcomes.set(key, outcome);
          this.handedOut = null;
        },
      }).then(() => {
        this.done++;
        this.onChange();
      });
      this.running.push(run);
    }
  }

  private async load(source: AttachmentSource & { data?: string; report?: boolean }): Promise<LoadedBytes> {
    if (!this.extractor) return { ok: false, reason: "not-fetched", message: "this app build has no document reader" };
    if (source.data) return { ok: true, bytes: fromBase64(source.data), contentType: source.contentType };
    if (source.location.startsWith("outside:")) {
      return { ok: false, reason: "not-fetched", message: "it points outside the EHR's FHIR server (not fetched with the token)" };
    }
    if (this.bytesUsed >= this.limits.totalBytes) {
      return {
        ok: false,
        reason: "not-fetched",
        message: `the attachments of this record exceed ${this.limits.totalBytes / 2 ** 20} MiB: not loaded`,
      };
    }
    const accept = source.contentType || "*/*";
    this.fetches++;
    try {
      const body = await requestFhir<RawBody>(
        this.ctx,
        { url: source.location, accept, as: "bytes", maxBytes: this.limits.maxBytes },
        () => (source.report ? PRIORITY.reportAttachments : PRIORITY.noteAttachments),
      );
      if (this.bytesUsed + body.bytes.length > this.limits.totalBytes) {
        return {
          ok: false,
          reason: "not-fetched",
          message: `the attachments of this record exceed ${this.limits.totalBytes / 2 ** 20} MiB: not loaded`,
        };
      }
      this.bytesUsed += body.bytes.length;
      if (body.truncated) return { ok: false, reason: "too-large", message: `over ${this.limits.maxBytes / 2 ** 20} MiB: not opened` };
      return binaryBytes(body, accept);
    } catch (error) {
      if (error instanceof RequestFailedError) return { ok: false, reason: "not-fetched", message: error.failure.message };
      throw error;
    }
  }

  /** Waits until every attachment offered so far has an outcome. */
  async settled(): Promise<void> {
    while (this.running.length) await Promise.all(this.running.splice(0));
  }

  progress(): AttachmentProgress {
    return { total: this.known, settled: this.done, fetches: this.fetches };
  }

  texts(): AttachmentText[] {
    return (this.handedOut ??= [...this.outcomes].map(([key, outcome]) => ({ key, outcome })));
  }
}

const NO_READER = {
  extract: async () => ({ ok: false as const, reason: "unsupported-type" as const, message: "this app build has no document reader" }),
};
