import { useCallback, useState, type ReactNode } from "react";
import Box from "@mui/material/Box";
import Alert from "@mui/material/Alert";
import type { Assessment } from "../../clinical/types";
import type { LoadSnapshot } from "../../fhir/types";
import type { FhirResource } from "../evidence/fhirText";
import { ErrorBoundary } from "../errors/ErrorBoundary";
import { EvidenceProvider } from "../evidence/EvidenceContext";
import { plainTextSummary } from "./summary/plainTextSummary";
import { ExportBar } from "./ExportBar";
import { PrintStyles } from "./PrintStyles";
import { PrintSummary } from "./print/PrintSummary";
import { DataPanel, LoadStrip } from "./panels/DataPanel";
import { FindingsPanel } from "./panels/FindingsPanel";
import { Headline, RedFlags } from "./panels/Headline";
import { ImagingPanel } from "./panels/ImagingPanel";
import { LabsPanel } from "./panels/LabsPanel";
import { PatientBanner } from "./panels/PatientBanner";
import { SecondaryCausesPanel } from "./panels/SecondaryCausesPanel";
import { WorkupGapsPanel } from "./panels/WorkupGapsPanel";
import { AtAGlance, PageNav, SkipLinks } from "./summary/AtAGlance";
import { SourceLegend, StatusLadder } from "./summary/StatusLadder";

export interface RecordViewProps {
  /** The Patient resource, once loaded. */
  patient?: FhirResource;
  /** The latest assessment; null until the first one is computed. */
  assessment: Assessment | null;
  snapshot: LoadSnapshot;
  /** Every loaded resource by relative reference ("Observation/123"), for the evidence viewer. */
  resourcesById: Map<string, FhirResource>;
  /** The as-of date (shown before the first assessment exists). */
  asOf: string;
  /** False when the launch context says `need_patient_banner: false`. Default true. */
  needPatientBanner?: boolean;
  /** The write-back review entry point, rendered once loading is complete. */
  /** Rendered once loading is complete; gets the snapshot for the server capabilities it holds. */
  writeBackSlot?: (a: Assessment, snapshot: LoadSnapshot) => ReactNode;
  /** A message when the engine failed on the data received. */
  assessError?: string | null;
  /** Runs failed searches again (by key); absent when the session can no longer load. */
  onRetrySearches?: (keys: readonly string[]) => void;
}

/**
 * The clinician's screen, without any FHIR client: patient banner, red flags, headline, then the
 * panels. Single column up to 900 px, two columns above. Panels keep a fixed order and reserve
 * their height with skeletons while loading, so arriving data never moves what the reader is on.
 */
export function RecordView(props: RecordViewProps) {
  const {
    patient,
    assessment: a,
    snapshot,
    resourcesById,
    asOf,
    needPatientBanner = true,
    writeBackSlot,
    assessError,
    onRetrySearches,
  } = props;
  const resources = snapshot.resources as unknown as FhirResource[];
  const summary = useCallback(() => {
    if (!a) return "";
    const incomplete = snapshot.progress
      .filter((p) => p.state === "failed" || p.state === "truncated")
      .map((p) => `${p.label} ${p.state === "failed" ? "could not be loaded" : "only partly loaded"}`);
    if (!snapshot.complete) incomplete.unshift("loading was still under way");
    return plainTextSummary(a, { patient, resources, incomplete });
  }, [a, patient, resources, snapshot]);
  const loading = !snapshot.complete;
  const [printAll, setPrintAll] = useState(false);
  return (
    <EvidenceProvider resourcesById={resourcesById}>
      <PrintStyles />
      <Box
        component="main"
        id="record"
        sx={{ bgcolor: "background.default", minHeight: "100%", overflowX: "hidden", overflowAnchor: "auto" }}
        aria-busy={loading}
      >
        <SkipLinks />
        {needPatientBanner && <PatientBanner patient={patient} assessment={a} asOf={asOf} />}
        <Box sx={{ p: { xs: 1, sm: 2 }, display: "grid", gap: { xs: 1, sm: 2 }, maxWidth: 1400, mx: "auto" }}>
          {a && a.redFlags.length > 0 && <RedFlags flags={a.redFlags} />}
          {assessError && (
            <Alert severity="error" variant="outlined">
              {assessError}
            </Alert>
          )}
          <Headline
            assessment={a}
            asOf={asOf}
            complete={snapshot.complete}
            progress={<LoadStrip snapshot={snapshot} />}
            summary={
              a && (
                <>
                  <AtAGlance assessment={a} />
                  <StatusLadder status={a.status} />
                  <SourceLegend />
                  <PageNav />
                </>
              )
            }
            actions={
              a ? (
                <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1, alignItems: "flex-start", justifyContent: "space-between" }}>
                  <ExportBar assessment={a} summary={summary} complete={snapshot.complete} printAll={printAll} onPrintAll={setPrintAll} />
                  {writeBackSlot && snapshot.complete && (
                    <Box>
                      <ErrorBoundary what="The write-back">{writeBackSlot(a, snapshot)}</ErrorBoundary>
                    </Box>
                  )}
                </Box>
              ) : undefined
            }
          />
          <Box
            className="record-grid"
            sx={{
              display: "grid",
              gap: { xs: 1, sm: 2 },
              gridTemplateColumns: { xs: "minmax(0, 1fr)", md: "minmax(0, 1fr) minmax(0, 1fr)" },
              alignItems: "start",
            }}
          >
            <Box sx={{ display: "grid", gap: { xs: 1, sm: 2 }, minWidth: 0 }}>
              <ErrorBoundary what="The findings panel">
                <FindingsPanel assessment={a} pending={loading} />
              </ErrorBoundary>
              <ErrorBoundary what="The secondary causes panel">
                <SecondaryCausesPanel assessment={a} complete={snapshot.complete} />
              </ErrorBoundary>
              <ErrorBoundary what="The workup gaps panel">
                <WorkupGapsPanel assessment={a} complete={snapshot.complete} />
              </ErrorBoundary>
            </Box>
            <Box sx={{ display: "grid", gap: { xs: 1, sm: 2 }, minWidth: 0 }}>
              <ErrorBoundary what="The labs panel">
                <LabsPanel assessment={a} complete={snapshot.complete} />
              </ErrorBoundary>
              <ErrorBoundary what="The imaging panel">
                <ImagingPanel resources={resources} loading={loading} />
              </ErrorBoundary>
              <ErrorBoundary what="The data panel">
                <DataPanel snapshot={snapshot} assessment={a} onRetry={onRetrySearches} />
              </ErrorBoundary>
            </Box>
          </Box>
        </Box>
        {a && <PrintSummary assessment={a} patient={patient} allResults={printAll} />}
      </Box>
    </EvidenceProvider>
  );
}
