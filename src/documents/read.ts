/**
 * Reading the attachments of a record: each document once, in its preferred format (the next
 * format only when that one cannot be read), each distinct location fetched once even when a
 * report and a note cite the same Binary. The caller says how to get the bytes (the app fetches a
 * Binary from the EHR, the CLI finds it in the export) and gets one outcome per attachment key.
 */
import type { ExtractOutcome, TextExtractor } from "./types";

export interface AttachmentSource {
  /** The caller's key for this attachment (the engine's AttachmentSlot.key). */
  key: string;
  /** The document it belongs to: several sources of one owner are one document in several formats. */
  owner: string;
  contentType: string;
  /** Where the bytes are, resolved (an absolute URL, or the key itself for inline data): fetched once. */
  location: string;
}

export type LoadedBytes =
  | { ok: true; bytes: Uint8Array; contentType: string }
  | { ok: false; reason: "not-fetched" | "too-large" | "unsupported-type"; message: string };

export type AttachmentOutcome = ExtractOutcome | { ok: false; reason: "not-fetched"; message: string };

export interface ReadOptions {
  /** Called as each attachment's outcome is known (the app streams them into the assessment). */
  onOutcome?: (key: string, outcome: AttachmentOutcome) => void;
  /** Reads by location shared across calls (a report page and a note page citing one Binary). */
  cache?: Map<string, Promise<AttachmentOutcome>>;
}

export async function readAttachments(
  sources: readonly AttachmentSource[],
  load: (source: AttachmentSource) => Promise<LoadedBytes>,
  extractor: TextExtractor,
  options: ReadOptions = {},
): Promise<Map<string, AttachmentOutcome>> {
  const outcomes = new Map<string, AttachmentOutcome>();
  const byLocation = options.cache ?? new Map<string, Promise<AttachmentOutcome>>();
  const readOne = (source: AttachmentSource): Promise<AttachmentOutcome> => {
    let pending = byLocation.get(source.location);
    if (!pending) {
      pending = load(source).then((loaded): Promise<AttachmentOutcome> | AttachmentOutcome =>
        loaded.ok ? extractor.extract(loaded.bytes, loaded.contentType || source.contentType) : loaded,
      );
      byLocation.set(source.location, pending);
    }
    return pending;
  };
  const owners = new Map<string, AttachmentSource[]>();
  for (const s of sources) owners.set(s.owner, [...(owners.get(s.owner) ?? []), s]);
  await Promise.all(
    [...owners.values()].map(async (formats) => {
      for (const source of formats) {
        const outcome = await readOne(source);
        outcomes.set(source.key, outcome);
        options.onOutcome?.(source.key, outcome);
        if (outcome.ok) return;
      }
    }),
  );
  return outcomes;
}
