import { memo, useId, useState } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Typography from "@mui/material/Typography";
import { LAB_ORDER, labLabel } from "../labs/labMeta";
import { Panel } from "../Panel";
import { srOnly } from "../../shared/srOnly";
import { LabCard } from "../labs/LabCard";
import { ResultsTable } from "../labs/ResultsTable";
import { allResults } from "../labs/results";
import { labsIn } from "../unknown";
import { memoOnAssessment, type AssessmentParts } from "../memoOnAssessment";

const LAB_PARTS = ["asOf", "labs", "missingData"] as const;

/** A card is drawn again only when its analyte's summary changes (assess/share.ts keeps the others). */
const SharedLabCard = memo(LabCard);

function LabsPanelView(props: { assessment: AssessmentParts<(typeof LAB_PARTS)[number]> | null; complete?: boolean }) {
  const a = props.assessment;
  const complete = props.complete ?? true;
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const present = a ? LAB_ORDER.filter((k) => (a.labs[k]?.count ?? 0) > 0) : [];
  // A lab whose search failed is unknown, not absent; one still loading is not absent yet.
  const lost = a ? labsIn(a, ["failed", "truncated"]) : new Set<string>();
  const pendingLabs = a ? labsIn(a, ["pending"]) : new Set<string>();
  const noResult = a ? LAB_ORDER.filter((k) => (a.labs[k]?.count ?? 0) === 0) : [];
  const absent = noResult.filter((k) => !lost.has(k) && !pendingLabs.has(k));
  const unknown = noResult.filter((k) => lost.has(k));
  const waiting = noResult.filter((k) => pendingLabs.has(k) && !lost.has(k));
  const partial = a ? LAB_ORDER.filter((k) => (a.labs[k]?.count ?? 0) > 0 && lost.has(k)) : [];
  const rows = a ? allResults(a) : [];
  const tableId = `${id}-table`;
  return (
    <Panel id="labs" title="Labs" loading={!a} skeletonHeight={260} count={a ? rows.length : undefined}>
      {a && (
        <>
          {present.length === 0 ? (
            <Typography variant="body2" sx={{ color: "text.secondary" }}>
              {unknown.length > 0
                ? "No lab result could be read for the analytes this review uses: see below."
                : complete
                  ? "No usable lab results for the analytes this review uses."
                  : "No lab results received yet."}
            </Typography>
          ) : (
            <Box
              component="ul"
              aria-label="Latest results"
              sx={{
                m: 0,
                p: 0,
                listStyle: "none",
                display: "grid",
                gap: 1,
                gridTemplateColumns: { xs: "1fr", sm: "repeat(auto-fill, minmax(240px, 1fr))" },
              }}
            >
              {present.map((k) => (
                <SharedLabCard key={k} k={k} sum={a.labs[k]!} asOf={a.asOf} />
              ))}
            </Box>
          )}
          {absent.length > 0 && (
            <Typography variant="body2" sx={{ mt: 1, color: "text.secondary" }} data-testid="labs-absent">
              {complete ? "No result on record" : "No result received yet"}: {absent.map(labLabel).join(", ")}.
            </Typography>
          )}
          {waiting.length > 0 && (
            <Typography variant="body2" sx={{ mt: 1, color: "text.secondary" }}>
              Still loading: {waiting.map(labLabel).join(", ")}.
            </Typography>
          )}
          {unknown.length > 0 && (
            <Typography variant="body2" sx={{ mt: 1, fontWeight: 600, color: "#7a4100" }} data-testid="labs-unknown">
              Could not be loaded, unknown (not absent): {unknown.map(labLabel).join(", ")}.
            </Typography>
          )}
          {partial.length > 0 && (
            <Typography variant="body2" sx={{ mt: 1, color: "#7a4100" }} data-testid="labs-partial">
              Only partly loaded, more results may exist: {partial.map(labLabel).join(", ")}.
            </Typography>
          )}
          {rows.length > 0 && (
            <Box sx={{ mt: 1.5 }}>
              <Button
                variant="outlined"
                size="small"
                onClick={() => setShowTable((v) => !v)}
                aria-expanded={showTable}
                aria-controls={`${id}-tablewrap`}
                className="no-print"
              >
                {showTable ? "Hide table of all results" : `Show table of all results (${rows.length})`}
              </Button>
              <Box id={`${id}-tablewrap`} sx={{ mt: 1 }} hidden={!showTable}>
                <Typography variant="h3" component="h3" id={tableId} sx={{ mb: 0.5 }}>
                  All lab results
                  <Box component="span" sx={srOnly}>
                    , one row per result, newest first within each analyte
                  </Box>
                </Typography>
                {showTable && <ResultsTable rows={rows} captionId={tableId} />}
              </Box>
            </Box>
          )}
        </>
      )}
    </Panel>
  );
}

/** Labs: latest value per analyte with a lazy trend chart, and a table of every result (rendered again only when those parts change). */
export const LabsPanel = memoOnAssessment(LabsPanelView, LAB_PARTS);
