import { memo, useId, useMemo, useState } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Typography from "@mui/material/Typography";
import { formatDate, type FhirResource } from "../../evidence/fhirText";
import { imagingRows } from "../imaging/imagingRows";
import { Empty, Panel } from "../Panel";
import { EvidenceChips } from "../ruleChips";
import { reportPreview } from "./reportPreview";

/**
 * A report's conclusion: its first lines with "Show full report" when it is long. The full text is
 * also in the evidence viewer of the report (its chip below), so a sentence cited elsewhere is
 * always one click away. Plain text, never markup.
 */
function Conclusion(props: { text: string }) {
  const id = useId();
  const [full, setFull] = useState(false);
  const preview = useMemo(() => reportPreview(props.text), [props.text]);
  return (
    <>
      <Typography
        id={id}
        variant="body2"
        sx={{ mt: 0.25, overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}
        data-testid="imaging-conclusion"
      >
        <strong>Conclusion:</strong> {full || !preview.cut ? props.text : preview.text}
      </Typography>
      {preview.cut && (
        <Button
          size="small"
          aria-expanded={full}
          aria-controls={id}
          onClick={() => setFull((v) => !v)}
          sx={{ mt: 0.25, px: 0.5 }}
          className="no-print"
        >
          {full ? "Show less of the report" : "Show full report"}
        </Button>
      )}
    </>
  );
}

/** Imaging: studies by date (newest first), modality and site, with their report conclusions. */
function ImagingPanelView(props: { resources: readonly FhirResource[]; loading: boolean }) {
  const rows = useMemo(() => imagingRows(props.resources), [props.resources]);
  return (
    <Panel id="imaging" title="Imaging" loading={props.loading && rows.length === 0} skeletonHeight={140} count={rows.length}>
      {rows.length === 0 ? (
        <Empty>No imaging studies or imaging reports on record.</Empty>
      ) : (
        <Box component="ul" sx={{ m: 0, p: 0, listStyle: "none" }}>
          {rows.map((r, i) => (
            <Box component="li" key={r.key} data-testid="imaging-row" sx={{ py: 1, borderTop: i ? 1 : 0, borderColor: "divider" }}>
              <Typography component="h3" variant="h4" sx={{ display: "flex", flexWrap: "wrap", columnGap: 1 }}>
                <span>{r.date ? formatDate(r.date) : "date unknown"}</span>
                <span>{r.modality}</span>
                <Box component="span" sx={{ fontWeight: 400 }}>
                  {r.site}
                </Box>
              </Typography>
              <Typography variant="body2" sx={{ overflowWrap: "anywhere" }}>
                {r.description}
              </Typography>
              {r.conclusion ? (
                <Conclusion text={r.conclusion} />
              ) : (
                <Typography variant="body2" sx={{ mt: 0.25, color: "text.secondary" }}>
                  No report conclusion on record.
                </Typography>
              )}
              <Box sx={{ mt: 0.5 }}>
                <EvidenceChips refs={r.evidence} />
              </Box>
            </Box>
          ))}
        </Box>
      )}
    </Panel>
  );
}

/** Rendered again only when the resource list changes (the loader keeps it while nothing is added). */
export const ImagingPanel = memo(ImagingPanelView);
