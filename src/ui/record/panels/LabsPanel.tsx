import { Component, lazy, memo, Suspense, useEffect, useId, useState, type ReactNode } from "react";
import { flushSync } from "react-dom";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Skeleton from "@mui/material/Skeleton";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import type { Assessment, LabKey, LabResult, LabSummary } from "../../../clinical/types";
import { formatDate } from "../../fhirDisplay";
import {
  LAB_META,
  LAB_ORDER,
  interpret,
  labLabel,
  normalizedText,
  rangeFor,
  resultValueText,
  unitText,
  type InterpretationKind,
} from "../../labMeta";
import { EvidenceButton, EvidenceChips, Panel, srOnly } from "../common";
import { DotIcon, DownIcon, UpIcon } from "../icons";
import { labsIn } from "../unknown";

const LabTrendChart = lazy(() => import("./LabTrendChart"));

const CHART_HEIGHT = 150;

export function InterpretationText(props: { kind: InterpretationKind; text: string }) {
  const color =
    props.kind === "high" || props.kind === "low" || props.kind === "abnormal"
      ? "#8a4b08"
      : props.kind === "normal"
        ? "#2e6b3a"
        : "text.secondary";
  return (
    <Box
      component="span"
      sx={{
        display: "inline-flex",
        alignItems: "center",
        gap: 0.25,
        color,
        fontWeight: props.kind === "normal" || props.kind === "unknown" ? 400 : 600,
      }}
    >
      {props.kind === "high" ? <UpIcon /> : props.kind === "low" ? <DownIcon /> : <DotIcon />}
      {props.text}
    </Box>
  );
}

function trendText(t: LabSummary["trend"]): string | null {
  if (!t) return null;
  return t === "rising" ? "rising" : t === "falling" ? "falling" : "stable";
}

/** Most points a trend chart draws; longer series are thinned (the table has every result). */
export const MAX_CHART_POINTS = 120;

/** Points for the chart: normalised values with a date, oldest first. */
export function chartPoints(sum: LabSummary): { date: string; value: number }[] {
  const hist = sum.history && sum.history.length ? sum.history : sum.latest ? [sum.latest] : [];
  const pts = hist
    .filter((r): r is LabResult & { date: string } => !!r.date && !!r.normalized && Number.isFinite(r.normalized.value))
    .map((r) => ({ date: r.date, value: r.normalized!.value }))
    .sort((a, b) => a.date.localeCompare(b.date));
  return thinPoints(pts, MAX_CHART_POINTS);
}

/**
 * Keeps at most `max` points: the first and last, and from each bucket in between its lowest and
 * highest value, so that out-of-range peaks survive the thinning.
 */
export function thinPoints<T extends { value: number }>(pts: T[], max: number): T[] {
  if (pts.length <= max) return pts;
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = pts.slice(1, -1);
  const size = inner.length / buckets;
  const out: T[] = [pts[0]];
  for (let b = 0; b < buckets; b++) {
    const slice = inner.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (slice.length === 0) continue;
    let lo = 0;
    let hi = 0;
    slice.forEach((p, i) => {
      if (p.value < slice[lo].value) lo = i;
      if (p.value > slice[hi].value) hi = i;
    });
    for (const i of [...new Set([lo, hi])].sort((x, y) => x - y)) out.push(slice[i]);
  }
  out.push(pts[pts.length - 1]);
  return out;
}

/** Keeps a chart failure (e.g. a chunk that cannot load) from taking the panel down. */
class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed) {
      return (
        <Typography variant="body2" sx={{ color: "text.secondary", height: CHART_HEIGHT }}>
          The chart could not be shown; the values are in the table below.
        </Typography>
      );
    }
    return this.props.children;
  }
}

/** Re-render a card only when its analyte's results changed (pages of other analytes arrive often). */
function sameSummary(a: { k: LabKey; sum: LabSummary }, b: { k: LabKey; sum: LabSummary }): boolean {
  const x = a.sum;
  const y = b.sum;
  return (
    a.k === b.k &&
    x.count === y.count &&
    x.trend === y.trend &&
    (x.history?.length ?? 0) === (y.history?.length ?? 0) &&
    x.latest?.evidence === y.latest?.evidence &&
    x.latest?.value === y.latest?.value &&
    x.history?.[0]?.evidence === y.history?.[0]?.evidence
  );
}

const LabCard = memo(LabCardImpl, sameSummary);

function LabCardImpl(props: { k: LabKey; sum: LabSummary }) {
  const { k, sum } = props;
  const latest = sum.latest;
  const interp = interpret(k, latest);
  const range = rangeFor(k, latest);
  const points = chartPoints(sum);
  const unit = points.length ? unitText(sum.history?.find((h) => h.normalized)?.normalized?.unit ?? LAB_META[k].canonicalUnit) : "";
  const trend = trendText(sum.trend);
  const usable = (sum.history ?? []).filter((h) => h.normalized && h.date).length;
  const thinned =
    usable > points.length ? ` (the chart draws ${points.length} of ${usable}, keeping highs and lows; the table lists all)` : "";
  const desc = `${Math.max(usable, points.length)} results${thinned} from ${points[0]?.date ?? "?"} to ${points[points.length - 1]?.date ?? "?"}; latest ${resultValueText(latest)}${trend ? `, ${trend}` : ""}; range ${range.text}.`;
  const showsNormalised = latest?.normalized && latest.unit !== latest.normalized.unit;
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
        {showsNormalised && (
          <>
            <Box component="dt" sx={{ color: "text.secondary" }}>
              Normalised
            </Box>
            <Box component="dd" sx={{ m: 0 }}>
              {normalizedText(latest)}
            </Box>
          </>
        )}
        <Box component="dt" sx={{ color: "text.secondary" }}>
          Range
        </Box>
        <Box component="dd" sx={{ m: 0 }}>
          {range.text}
        </Box>
        <Box component="dt" sx={{ color: "text.secondary" }}>
          Date
        </Box>
        <Box component="dd" sx={{ m: 0 }}>
          {latest?.date ? formatDate(latest.date) : "date unknown"}
        </Box>
        <Box component="dt" sx={{ color: "text.secondary" }}>
          Reading
        </Box>
        <Box component="dd" sx={{ m: 0 }}>
          <InterpretationText {...interp} />
        </Box>
        <Box component="dt" sx={{ color: "text.secondary" }}>
          Results
        </Box>
        <Box component="dd" sx={{ m: 0 }}>
          {sum.count}
          {trend ? `, ${trend}` : ""}
        </Box>
      </Box>
      {latest && (
        <Box sx={{ mt: 0.5 }}>
          <EvidenceChips refs={[latest.evidence]} />
        </Box>
      )}
      {points.length >= 2 && (
        <Box component="figure" sx={{ m: 0, mt: 1 }} data-testid="lab-chart" className="lab-chart">
          <Box component="figcaption" sx={srOnly}>
            {`${labLabel(k)} trend: ${desc}`}
          </Box>
          <Box sx={{ height: CHART_HEIGHT }}>
            <ChartBoundary>
              <Suspense fallback={<Skeleton variant="rectangular" height={CHART_HEIGHT} animation={false} aria-hidden="true" />}>
                <LabTrendChart
                  label={labLabel(k)}
                  unit={unit}
                  points={points}
                  low={range.origin === "none" ? undefined : range.low}
                  high={range.origin === "none" ? undefined : range.high}
                  description={desc}
                  height={CHART_HEIGHT}
                />
              </Suspense>
            </ChartBoundary>
          </Box>
        </Box>
      )}
    </Box>
  );
}

interface Row {
  key: LabKey;
  result: LabResult;
}

export function allResults(a: Assessment): Row[] {
  const rows: Row[] = [];
  for (const k of LAB_ORDER) {
    const sum = a.labs[k];
    if (!sum) continue;
    const hist = sum.history && sum.history.length ? sum.history : sum.latest ? [sum.latest] : [];
    const newestFirst = [...hist].sort((x, y) => (y.date ?? "").localeCompare(x.date ?? ""));
    for (const r of newestFirst) rows.push({ key: k, result: r });
  }
  return rows;
}

const PAGE_SIZE = 25;

function ResultsTable(props: { rows: Row[]; captionId: string; printing: boolean }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(props.rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const visible = props.printing ? props.rows : props.rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  return (
    <>
      <Box
        tabIndex={0}
        role="region"
        aria-labelledby={props.captionId}
        sx={{ overflowX: "auto", maxWidth: "100%", border: 1, borderColor: "divider", borderRadius: 1 }}
        className="results-table"
      >
        <Table size="small" aria-labelledby={props.captionId} data-testid="lab-table">
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">
                Analyte
              </TableCell>
              <TableCell component="th" scope="col">
                Date
              </TableCell>
              <TableCell component="th" scope="col">
                Value
              </TableCell>
              <TableCell component="th" scope="col">
                Normalised
              </TableCell>
              <TableCell component="th" scope="col">
                Range
              </TableCell>
              <TableCell component="th" scope="col">
                Reading
              </TableCell>
              <TableCell component="th" scope="col">
                Source
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {visible.map(({ key, result }, i) => (
              <TableRow key={`${result.evidence}-${i}`}>
                <TableCell component="th" scope="row">
                  {labLabel(key)}
                </TableCell>
                <TableCell sx={{ whiteSpace: "nowrap" }}>{result.date ? formatDate(result.date) : "unknown"}</TableCell>
                <TableCell sx={{ whiteSpace: "nowrap" }}>{resultValueText(result)}</TableCell>
                <TableCell sx={{ whiteSpace: "nowrap" }}>{normalizedText(result)}</TableCell>
                <TableCell>{rangeFor(key, result).text}</TableCell>
                <TableCell>
                  <InterpretationText {...interpret(key, result)} />
                </TableCell>
                <TableCell>
                  <EvidenceButton
                    refId={result.evidence}
                    label={`${labLabel(key)} ${resultValueText(result)} on ${result.date ? formatDate(result.date) : "unknown date"}`}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {props.rows.length > PAGE_SIZE && !props.printing && (
        <Box
          component="nav"
          aria-label="Result pages"
          className="no-print"
          sx={{ display: "flex", alignItems: "center", gap: 1, mt: 1, flexWrap: "wrap" }}
        >
          <Button size="small" variant="outlined" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous rows
          </Button>
          <Typography variant="body2" role="status" data-testid="lab-table-page">
            {`Rows ${current * PAGE_SIZE + 1}–${Math.min((current + 1) * PAGE_SIZE, props.rows.length)} of ${props.rows.length}`}
          </Typography>
          <Button size="small" variant="outlined" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next rows
          </Button>
        </Box>
      )}
    </>
  );
}

/** True while the browser prints (the table then renders every row, whatever the page). */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }, []);
  return printing;
}

/** Labs: latest value per analyte with a lazy trend chart, and a table of every result. */
export function LabsPanel(props: { assessment: Assessment | null; complete?: boolean }) {
  const a = props.assessment;
  const complete = props.complete ?? true;
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const printing = usePrinting();
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
                <LabCard key={k} k={k} sum={a.labs[k]!} />
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
              <Box id={`${id}-tablewrap`} sx={{ mt: 1 }} hidden={!showTable && !printing}>
                <Typography variant="h3" component="h3" id={tableId} sx={{ mb: 0.5 }}>
                  All lab results
                  <Box component="span" sx={srOnly}>
                    , one row per result, newest first within each analyte
                  </Box>
                </Typography>
                {(showTable || printing) && <ResultsTable rows={rows} captionId={tableId} printing={printing} />}
              </Box>
            </Box>
          )}
        </>
      )}
    </Panel>
  );
}
