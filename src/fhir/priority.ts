import type { LabKey } from "../clinical/types";

/**
 * Who gets the next free connection (lower number first; see limiter.ts). The full load ends when
 * the longest paging chain ends, and a chain's pages can only go one after another, so the policy
 * is "longest chain first" (LPT scheduling), with one exception for the first assessment:
 *
 *   0        first pages of Patient, Condition, DiagnosticReport, ImagingStudy: eligibility (SSc)
 *            and lesions, what the first assessment on screen needs.
 *   0.5      report attachments (a report's text when it has no conclusion).
 *   1        first pages of the high-volume lab analytes: they start the long chains.
 *   (1, 2)   next pages, longer remaining chains first (remaining pages from Bundle.total; a chain
 *            whose length is unknown counts as long).
 *   2.5      note attachments (DocumentReference content).
 *   3        first pages of the other Observation searches: typically one page each, so they fill
 *            the connections the long chains leave free and finish before them.
 *   3.5      the CapabilityStatement: only write-back needs it, after the clinician's review.
 */
export const PRIORITY = {
  context: 0,
  highVolumeFirstPage: 1,
  otherFirstPage: 3,
  capabilities: 3.5,
  /** A report's attachment is its text: lesion evidence, as needed as the report itself. */
  reportAttachments: 0.5,
  /** A note's attachment: after the long chains' pages, before the small searches. */
  noteAttachments: 2.5,
} as const;

export function continuationPriority(remainingPages: number | undefined): number {
  return remainingPages === undefined ? 1 : 1 + 1 / (1 + remainingPages);
}

/**
 * Analytes measured at almost every visit (basic metabolic and renal panels): in a monitored
 * patient each has a result per visit, where PTH, vitamin D, bone ALP or antibodies come a few times
 * a year at most. Only the queue order depends on this guess; a wrong guess costs time, not data.
 */
export const HIGH_VOLUME_LABS: readonly LabKey[] = ["calcium", "albumin", "creatinine", "egfr", "phosphate"];
