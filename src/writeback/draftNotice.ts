import { plural } from "../clinical/dataQuality";
import type { ItemState, WriteDraft } from "./draft";

/**
 * The line shown beside "Send to EHR…" when a draft is kept from before a reload or relaunch. It
 * states what the EHR holds as far as the last send knows it, item by item: never "part was not
 * sent" when nothing was written, and "may have been saved" where the EHR's answer was lost.
 */
export function draftNotice(draft: WriteDraft | null): string | null {
  if (!draft) return null;
  const counts: Record<ItemState, number> = { written: 0, refused: 0, "not-sent": 0, "may-be-saved": 0 };
  for (const item of Object.values(draft.items)) counts[item.state] += 1;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  switch (draft.state) {
    case "draft":
      return "You have an unsent write-back draft for these findings.";
    case "sending":
      return "A send was interrupted before its result arrived: the app does not know what the EHR saved. Sending again is safe: it never makes a copy.";
    case "sent":
      return total
        ? `These findings were sent to the EHR earlier in this session (${plural(counts.written, "item")} in the EHR).`
        : "These findings were sent to the EHR earlier in this session.";
    case "partial":
      return partialNotice(counts, total);
  }
}

function partialNotice(counts: Record<ItemState, number>, total: number): string {
  if (total === 0)
    return "An earlier send did not finish; the app does not know what the EHR saved. Sending again is safe: it never makes a copy.";
  const parts: string[] = [];
  if (counts.written) parts.push(`${plural(counts.written, "item")} ${counts.written === 1 ? "is" : "are"} in the EHR`);
  if (counts["may-be-saved"]) parts.push(`${counts["may-be-saved"]} may have been saved (the EHR's answer was lost)`);
  if (counts.refused) parts.push(`${counts.refused} ${counts.refused === 1 ? "was" : "were"} refused by the EHR`);
  if (counts["not-sent"]) parts.push(`${counts["not-sent"]} ${counts["not-sent"] === 1 ? "was" : "were"} not sent`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  if (!counts.written && !counts["may-be-saved"]) {
    return `Nothing from these findings was written to the EHR yet: ${list}. Sending again is safe: it never makes a copy.`;
  }
  return `From an earlier send: ${list}. Sending again completes it and never makes a copy.`;
}
