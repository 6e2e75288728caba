import type { WriteCapabilities } from "./decide";
import type { PlannedSkip, PlannedWrite, WriteMode } from "./plan";

/**
 * The review's one or two sentences on how the findings will be saved: what the clinician needs
 * to know (all together or one by one, never a copy), not how the protocol does it.
 */
export function planSummary(input: {
  mode: WriteMode;
  write: readonly PlannedWrite[];
  skip: readonly PlannedSkip[];
  capabilities: WriteCapabilities | null;
  /** The reason when the registration is read-only (no create scope at all), else null. */
  readOnly: string | null;
}): string {
  const { mode, write, skip, capabilities, readOnly } = input;
  const noteSkip = skip.find((s) => s.key === "note");
  if (mode === "copy-only") {
    const why = readOnly ?? noteSkip?.reason ?? "this EHR accepts nothing the app could write";
    return `Nothing can be saved to this EHR from the app: ${why}. Copy the note below and paste it into the chart.`;
  }
  let summary: string;
  if (mode === "transaction") {
    summary = "Everything chosen below is saved together, or nothing is. Sending again never makes a copy.";
  } else {
    const unknownEhr = capabilities ? "" : " The app could not find out what this EHR accepts, so it sends the note only.";
    const checks = write.some((w) => w.dedup === "search-first")
      ? " Before saving each item, the app checks that it is not already there."
      : "";
    summary =
      "The items are saved one at a time, in order: if the EHR refuses one, the others are still saved and the note says what was not." +
      `${unknownEhr}${checks} Sending again never makes a copy.`;
  }
  if (!write.some((w) => w.key === "note")) {
    summary += ` The note itself cannot be saved here${noteSkip ? ` (${noteSkip.reason})` : ""}: copy it into the chart.`;
  }
  return summary;
}
