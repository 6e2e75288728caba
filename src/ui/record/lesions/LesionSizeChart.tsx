import type { LesionMeasurement } from "../../../clinical/types";

const W = 240;
const H = 84;
const PAD = { left: 30, right: 8, top: 8, bottom: 18 };

function time(d: string): number {
  return Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);
}

/**
 * Largest dimension over time, to scale from 0 cm (decorative: the timeline beside it lists every
 * value in words). Drawn only with two or more dated sizes.
 */
export function LesionSizeChart(props: { measurements: readonly LesionMeasurement[] }) {
  const pts = props.measurements
    .filter((m): m is LesionMeasurement & { date: string; maxDimensionCm: number } => !!m.date && m.maxDimensionCm !== null)
    .map((m) => ({ t: time(m.date), cm: m.maxDimensionCm, year: m.date.slice(0, 4) }));
  if (pts.length < 2) return null;
  const t0 = pts[0].t;
  const t1 = pts[pts.length - 1].t;
  const maxCm = Math.max(...pts.map((p) => p.cm)) * 1.15;
  const x = (t: number) => PAD.left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right) : 0);
  const y = (cm: number) => PAD.top + (1 - cm / maxCm) * (H - PAD.top - PAD.bottom);
  const path = pts.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.cm).toFixed(1)}`).join(" ");
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      style={{ maxWidth: W, display: "block" }}
      aria-hidden="true"
      focusable="false"
      data-testid="lesion-chart"
    >
      <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} stroke="#8593a1" />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} stroke="#8593a1" />
      <text x={PAD.left - 4} y={y(0)} fontSize="9" textAnchor="end" fill="#3d4a56">
        0 cm
      </text>
      <text x={PAD.left - 4} y={y(maxCm / 1.15) + 3} fontSize="9" textAnchor="end" fill="#3d4a56">
        {`${Number((maxCm / 1.15).toFixed(1))}`}
      </text>
      <text x={PAD.left} y={H - 4} fontSize="9" fill="#3d4a56">
        {pts[0].year}
      </text>
      <text x={W - PAD.right} y={H - 4} fontSize="9" textAnchor="end" fill="#3d4a56">
        {pts[pts.length - 1].year}
      </text>
      <path d={path} fill="none" stroke="#5b3a87" strokeWidth="2" />
      {pts.map((p, i) => (
        <circle key={i} cx={x(p.t)} cy={y(p.cm)} r="3" fill="#5b3a87" />
      ))}
    </svg>
  );
}
