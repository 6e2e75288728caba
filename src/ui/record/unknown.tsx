import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { Assessment, LabKey, MissingData } from "../../clinical/types";
import { RuleChip } from "./ruleChips";

type NotEvaluated = NonNullable<Assessment["notEvaluated"]>[number];

/**
 * What the panels say about data the app did not see. A rule whose data could not be loaded is
 * "unknown", never "none": these helpers read the engine's `missingData` and `notEvaluated`, so a
 * panel cannot turn a failed search into an empty list.
 */

/** Searches that failed or were cut short (not those still loading). */
export function lostData(a: Assessment): MissingData[] {
  return a.missingData.filter((m) => m.reason === "failed" || m.reason === "truncated");
}

/** The lab analytes whose results sit in data of these reasons (e.g. failed or still loading). */
export function labsIn(a: Pick<Assessment, "missingData">, reasons: readonly MissingData["reason"][]): Set<LabKey> {
  return new Set(a.missingData.filter((m) => reasons.includes(m.reason)).flatMap((m) => m.labs ?? []));
}

/** Rules of these families (id prefixes such as "G-", "S-") that the engine could not evaluate. */
export function unknownRules(a: Pick<Assessment, "notEvaluated">, prefixes: readonly string[]): NotEvaluated[] {
  return (a.notEvaluated ?? []).filter((n) => prefixes.some((p) => n.ruleId.startsWith(p)));
}

/** "Could not be checked: unknown", with each rule and why (what was not loaded). */
export function UnknownRules(props: { items: readonly NotEvaluated[]; loading: boolean; title?: string }) {
  if (props.items.length === 0) return null;
  const title = props.title ?? (props.loading ? "Not checked yet (data still loading)" : "Could not be checked (data not loaded): unknown");
  return (
    <Box data-testid="unknown-rules" sx={{ mt: 1, p: 1, border: "1px dashed #b26a00", borderRadius: 1 }}>
      <Typography variant="body2" sx={{ fontWeight: 600, color: "#7a4100" }}>
        {title}
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: "0.8125rem" }}>
        {props.items.map((n, i) => (
          <li key={`${n.ruleId}-${i}`} data-rule={n.ruleId}>
            <RuleChip ruleId={n.ruleId} /> {n.reason}
          </li>
        ))}
      </Box>
    </Box>
  );
}
