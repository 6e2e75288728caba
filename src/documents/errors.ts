import type { NotReadReason } from "./types";

/** Thrown inside src/documents and turned into an outcome by the extractor; never escapes it. */
export class NotReadable extends Error {
  constructor(
    readonly reason: NotReadReason,
    message: string,
  ) {
    super(message);
  }
}
