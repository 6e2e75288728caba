import { LineChart } from "@mui/x-charts/LineChart";
import { ChartsReferenceLine } from "@mui/x-charts/ChartsReferenceLine";
import { useDrawingArea, useYScale } from "@mui/x-charts/hooks";

/**
 * One analyte's trend with its reference band. Loaded lazily (React.lazy) so that @mui/x-charts
 * stays out of the first paint; the table view carries the same data for keyboard and
 * screen-reader users.
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
  /** Short text alternative (latest value, direction, range); the caller renders it. */
  description: string;
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
      margin={{ left: 4, right: 12, top: 8, bottom: 4 }}
      xAxis={[
        {
          scaleType: "time",
          data: points.map((p) => toTime(p.date)),
          valueFormatter: (d: Date) => d.toISOString().slice(0, 10),
          tickNumber: 3,
        },
      ]}
      yAxis={[{ min: min - pad, max: max + pad, width: 44, label: undefined }]}
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
      {high !== undefined && (
        <ChartsReferenceLine
          y={high}
          lineStyle={{ strokeDasharray: "4 3", stroke: "#2e6b3a" }}
          label="upper"
          labelAlign="end"
          labelStyle={{ fontSize: 10, fill: "#2e6b3a" }}
        />
      )}
      {low !== undefined && (
        <ChartsReferenceLine
          y={low}
          lineStyle={{ strokeDasharray: "4 3", stroke: "#2e6b3a" }}
          label="lower"
          labelAlign="end"
          labelStyle={{ fontSize: 10, fill: "#2e6b3a" }}
        />
      )}
    </LineChart>
  );
}
