import { lazy, memo, Suspense, useState, type ReactNode } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Skeleton from "@mui/material/Skeleton";
import Typography from "@mui/material/Typography";
import type { LabKey, LabSummary } from "../../../clinical/types";
import { ErrorBoundary } from "../../errors/ErrorBoundary";
import { formatDate } from "../../evidence/fhirText";
import { LAB_META, interpret, labLabel, normalizedText, rangeFor, resultValueText, unitText } from "./labMeta";
import { EvidenceChips } from "../ruleChips";
import { srOnly } from "../../shared/srOnly";
import { InterpretationText } from "./InterpretationText";
import { MAX_CHART_POINTS, datedPoints, monthsBefore, since, thinPoints, trendOver } from "./results";

const LabTrendChart = lazy(() => import("../panels/LabTrendChart"));

const CHART_HEIGHT = 170;
/** The chart's default window: the two years up to the assessment date. */
export const CHART_DEFAULT_YEARS = 2;

/** Re-render a card only when its analyte's results changed (pages of other analytes arrive often). */
function sameSummary(a: CardProps, b: CardProps): boolean {
  const x = a.sum;
  const y = b.sum;
  return (
    a.k === b.k &&
    a.asOf === b.asOf &&
    x.count === y.count &&
    (x.history?.length ?? 0) === (y.history?.length ?? 0) &&
    x.latest?.evidence === y.latest?.evidence &&
    x.latest?.value === y.latest?.value &&
    x.history?.[0]?.evidence === y.history?.[0]?.evidence
  );
}

interface CardProps {
  k: LabKey;
  sum: LabSummary;
  asOf: string;
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <>
      <Box component="dt" sx={{ color: "text.secondary" }}>
        {props.label}
      </Box>
      <Box component="dd" sx={{ m: 0 }}>
        {props.children}
      </Box>
    </>
  );
}

function LabCardImpl(props: CardProps) {
  const { k, sum, asOf } = props;
  const [allYears, setAllYears] = useState(false);
  const latest = sum.latest;
  const range = rangeFor(k, latest);
  const all = datedPoints(sum);
  const from = monthsBefore(asOf, CHART_DEFAULT_YEARS * 12);
  const older = all.length - since(all, from).length;
  const points = thinPoints(allYears ? all : since(all, from), MAX_CHART_POINTS);
  const unit = unitText(sum.history?.find((h) => h.normalized)?.normalized?.unit ?? LAB_META[k].canonicalUnit);
  const trend = trendOver(all, asOf);
  const inWindow = allYears ? all.length : all.length - older;
  const thinned =
    inWindow > points.length ? ` (the chart draws ${points.length} of ${inWindow}, keeping highs and lows; the table lists all)` : "";
  const span = allYears ? "all years" : `the last ${CHART_DEFAULT_YEARS} years`;
  const desc = `${inWindow} results over ${span}${thinned}; latest ${resultValueText(latest)}; ${trend.text}; range ${range.text}.`;
  const band = range.origin === "none" ? undefined : range;
  return (
    <Box
      component="li"
      data-testid="lab-card"
      data-analyte={k}
      sx={{ border: 1, borderColor: "divider", borderRadius: 1, p: 1.25, minWidth: 0 }}
    >
      <Typography component="h3" variant="h4">
        {labLabel(k)}
      </Typography>
      <Typography sx={{ fontSize: "1.15rem", fontWeight: 700, mt: 0.25 }} data-testid="lab-latest">
        {resultValueText(latest)}
      </Typography>
      <Box component="dl" sx={{ m: 0, display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 1, fontSize: "0.8125rem" }}>
        {latest?.normalized && latest.unit !== latest.normalized.unit && <Row label="Normalised">{normalizedText(latest)}</Row>}
        <Row label="Range">
          <span data-testid="lab-range">{range.text}</span>
        </Row>
        <Row label="Date">{latest?.date ? formatDate(latest.date) : "date unknown"}</Row>
        <Row label="Reading">
          <InterpretationText {...interpret(k, latest)} />
        </Row>
        <Row label="Results">{sum.count}</Row>
        <Row label="Trend">
          <span data-testid="lab-trend">{trend.text}</span>
        </Row>
      </Box>
      {latest && (
        <Box sx={{ mt: 0.5 }}>
          <EvidenceChips refs={[latest.evidence]} />
        </Box>
      )}
      {all.length >= 2 && (
        <Box component="figure" sx={{ m: 0, mt: 1 }} data-testid="lab-chart" className="lab-chart">
          <Box component="figcaption" sx={srOnly}>
            {`${labLabel(k)} trend: ${desc}`}
          </Box>
          {points.length >= 2 ? (
            <Box sx={{ height: CHART_HEIGHT }}>
              {/* A chart failure (e.g. a chunk that cannot load) must not take the panel down. */}
              <ErrorBoundary
                what="The chart"
                fallback={
                  <Typography variant="body2" sx={{ color: "text.secondary", height: CHART_HEIGHT }}>
                    The chart could not be shown; the values are in the table below.
                  </Typography>
                }
              >
                <Suspense fallback={<Skeleton variant="rectangular" height={CHART_HEIGHT} animation={false} aria-hidden="true" />}>
                  <LabTrendChart label={labLabel(k)} unit={unit} points={points} low={band?.low} high={band?.high} height={CHART_HEIGHT} />
                </Suspense>
              </ErrorBoundary>
            </Box>
          ) : (
            <Typography variant="body2" sx={{ color: "text.secondary" }}>
              {`Fewer than two results in ${span}.`}
            </Typography>
          )}
          <Typography variant="caption" component="p" sx={{ color: "text.secondary" }} aria-hidden="true">
            {`${span[0].toUpperCase()}${span.slice(1)}${band ? `; shaded: range ${range.text}` : ""}.`}
          </Typography>
          {older > 0 && (
            <Button size="small" onClick={() => setAllYears((v) => !v)} className="no-print">
              {allYears ? `Show the last ${CHART_DEFAULT_YEARS} years` : `Show all years (${older} older)`}
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}

export const LabCard = memo(LabCardImpl, sameSummary);
