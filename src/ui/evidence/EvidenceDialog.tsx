import { useEffect, useId, useState } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import Tab from "@mui/material/Tab";
import Tabs from "@mui/material/Tabs";
import Typography from "@mui/material/Typography";
import { ErrorBoundary } from "../errors/ErrorBoundary";
import { resourceSummary, resourceTitle } from "./resourceSummary";
import type { FhirResource } from "./fhirText";
import { Preformatted } from "../shared/Preformatted";
import { boundedJson } from "./boundedJson";

/**
 * The evidence viewer: a readable summary of one FHIR resource and its raw JSON. Everything is
 * rendered as React text nodes (the JSON inside a <pre>), so markup in FHIR strings stays text.
 */
export function EvidenceDialog(props: { reference: string | null; resource: FhirResource | undefined; onClose(): void }) {
  const { reference, resource, onClose } = props;
  const [tab, setTab] = useState<"summary" | "json">("summary");
  const id = useId();
  useEffect(() => {
    if (reference) setTab("summary");
  }, [reference]);
  const title = resource ? resourceTitle(resource) : (reference ?? "");
  const rows = resource ? resourceSummary(resource) : [];
  return (
    <Dialog open={reference !== null} onClose={onClose} aria-labelledby={`${id}-title`} fullWidth maxWidth="md" scroll="paper">
      <DialogTitle id={`${id}-title`} sx={{ overflowWrap: "anywhere" }}>
        {title}
        <Typography component="span" variant="body2" sx={{ display: "block", color: "text.secondary" }}>
          {reference}
        </Typography>
      </DialogTitle>
      {resource ? (
        <>
          <Tabs value={tab} onChange={(_e, v) => setTab(v)} aria-label="Evidence view" sx={{ px: 3 }}>
            <Tab value="summary" label="Readable" id={`${id}-tab-summary`} aria-controls={`${id}-panel-summary`} />
            <Tab value="json" label="Raw JSON" id={`${id}-tab-json`} aria-controls={`${id}-panel-json`} />
          </Tabs>
          <DialogContent dividers>
            <ErrorBoundary what="This view of the resource">
              <div role="tabpanel" id={`${id}-panel-summary`} aria-labelledby={`${id}-tab-summary`} hidden={tab !== "summary"}>
                {tab === "summary" && (
                  <Box
                    component="dl"
                    sx={{ m: 0, display: "grid", gridTemplateColumns: { xs: "1fr", sm: "max-content 1fr" }, columnGap: 2, rowGap: 0.5 }}
                  >
                    {rows.map((r, i) => (
                      <Box key={i} sx={{ display: "contents" }}>
                        <Box component="dt" sx={{ fontWeight: 600 }}>
                          {r.label}
                        </Box>
                        <Box component="dd" sx={{ m: 0, mb: { xs: 1, sm: 0 }, overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}>
                          {r.value}
                        </Box>
                      </Box>
                    ))}
                  </Box>
                )}
              </div>
              <div role="tabpanel" id={`${id}-panel-json`} aria-labelledby={`${id}-tab-json`} hidden={tab !== "json"}>
                {tab === "json" && (
                  <Preformatted tabIndex={0} aria-label="Raw JSON of the resource" data-testid="evidence-json" maxHeight="60vh">
                    {boundedJson(resource).text}
                  </Preformatted>
                )}
              </div>
            </ErrorBoundary>
          </DialogContent>
        </>
      ) : (
        <DialogContent dividers>
          <Typography>
            This resource was not among the data loaded from the EHR (it may belong to a search that failed or was cut short).
          </Typography>
        </DialogContent>
      )}
      <DialogActions>
        <Button onClick={onClose} variant="contained">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
