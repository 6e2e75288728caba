import { LineChart } from "@mui/x-charts/LineChart";
import { ChartsReferenceLine } from "@mui/x-charts/ChartsReferenceLine";
import { useDrawingArea, useYScale } from "@mui/x-charts/hooks";

/**
 * One analyte's trend with its reference band. Loaded lazily (React.lazy) so that @mui/x-charts
 * stays out of the first paint; the card's caption and the table carry the same data in words.
 * The band is unlabelled inside the plot (a label there would sit on the data): the caption under
 * the chart names it. Values show on hover and, by the arrow keys, on keyboard focus.
 */
export interface TrendPoint {
  date: string;
  value: number;
}

export interface LabTrendChartProps {
  label: string;
  unit: string;
  points: TrendPoint[];
  low?: number;
  high?: number;
  height?: number;
}

function ReferenceBand(props: { low?: number; high?: number }) {
  const area = useDrawingArea();
  const y = useYScale() as unknown as (v: number) => number;
  const top = props.high !== undefined ? y(props.high) : area.top;
  const bottom = props.low !== undefined ? y(props.low) : area.top + area.height;
  const y0 = Math.max(area.top, Math.min(top, bottom));
  const y1 = Math.min(area.top + area.height, Math.max(top, bottom));
  if (!(y1 > y0)) return null;
  return <rect x={area.left} width={area.width} y={y0} height={y1 - y0} fill="#2e6b3a" fillOpacity={0.12} data-testid="reference-band" />;
}

function toTime(d: string): Date {
  const t = new Date(d.length === 10 ? `${d}T00:00:00Z` : d);
  return t;
}

export default function LabTrendChart(props: LabTrendChartProps) {
  const { points, low, high, unit, label, height = 150 } = props;
  const values = points.map((p) => p.value);
  const bounds = [...values, ...(low !== undefined ? [low] : []), ...(high !== undefined ? [high] : [])];
  const min = Math.min(...bounds);
  const max = Math.max(...bounds);
  const pad = (max - min || Math.abs(max) || 1) * 0.15;
  return (
    <LineChart
      height={height}
      skipAnimation
      hideLegend
      // Room on the right for the whole last date label.
      margin={{ left: 4, right: 28, top: 8, bottom: 4 }}
      xAxis={[
        {
          scaleType: "time",
          data: points.map((p) => toTime(p.date)),
          valueFormatter: (d: Date, context) =>
            context.location === "tooltip" ? d.toISOString().slice(0, 10) : d.toISOString().slice(0, 7),
          tickNumber: 3,
        },
      ]}
      yAxis={[{ min: min - pad, max: max + pad, width: 56, label: unit }]}
      series={[
        {
          data: values,
          label: `${label} (${unit})`,
          color: "#1f5a85",
          showMark: points.length <= 40,
          valueFormatter: (v: number | null) => (v === null ? "" : `${v} ${unit}`),
        },
      ]}
    >
      <ReferenceBand low={low} high={high} />
      {high !== undefined && <ChartsReferenceLine y={high} lineStyle={{ strokeDasharray: "4 3", stroke: "#2e6b3a" }} />}
      {low !== undefined && <ChartsReferenceLine y={low} lineStyle={{ strokeDasharray: "4 3", stroke: "#2e6b3a" }} />}
    </LineChart>
  );
}
