import { useId } from "react";
import type { Laterality, SiteGroup } from "../../../clinical/types";
import { siteLabel } from "../siteLabels";

/**
 * A simple front-view body figure marking the involved site groups. Involvement is shown by fill,
 * a hatch pattern and a numbered marker (the lesion's number in the list), never by colour alone;
 * the figure's text alternative lists the same sites.
 */

type Side = "R" | "L" | "M";
interface Region {
  group: SiteGroup;
  side: Side;
  x: number;
  y: number;
  w: number;
  h: number;
}

// Patient's right is on the viewer's left (anatomical front view).
const REGIONS: Region[] = [
  { group: "trunk", side: "R", x: 70, y: 56, w: 30, h: 108 },
  { group: "trunk", side: "L", x: 100, y: 56, w: 30, h: 108 },
  { group: "spine", side: "M", x: 95, y: 56, w: 10, h: 132 },
  { group: "shoulder-elbow", side: "R", x: 46, y: 58, w: 20, h: 88 },
  { group: "shoulder-elbow", side: "L", x: 134, y: 58, w: 20, h: 88 },
  { group: "hand-wrist", side: "R", x: 42, y: 150, w: 24, h: 44 },
  { group: "hand-wrist", side: "L", x: 134, y: 150, w: 24, h: 44 },
  { group: "hip-pelvis", side: "R", x: 70, y: 166, w: 25, h: 30 },
  { group: "hip-pelvis", side: "L", x: 105, y: 166, w: 25, h: 30 },
  { group: "lower-limb", side: "R", x: 72, y: 200, w: 24, h: 160 },
  { group: "lower-limb", side: "L", x: 104, y: 200, w: 24, h: 160 },
];

/** What the figure needs of a lesion row. */
type Located = { siteGroup: SiteGroup; laterality: Laterality };

function sidesOf(l: Located): Side[] {
  if (l.siteGroup === "spine") return ["M"];
  if (l.laterality === "right") return ["R"];
  if (l.laterality === "left") return ["L"];
  return ["R", "L"]; // bilateral, or side not stated
}

export interface Marked {
  /** Lesion numbers whose marker sits in this region (each lesion's number appears once). */
  numbers: number[];
  uncertainSide: boolean;
}

/**
 * Regions to hatch, and where each lesion's number goes: once per lesion, in its first region (a
 * bilateral or side-unknown lesion hatches both sides and is numbered on the patient's right).
 */
export function markRegions(lesions: readonly Located[]): Map<string, Marked> {
  const m = new Map<string, Marked>();
  lesions.forEach((l, i) => {
    sidesOf(l).forEach((side, j) => {
      const key = `${l.siteGroup}:${side}`;
      const cur = m.get(key) ?? { numbers: [], uncertainSide: false };
      if (j === 0) cur.numbers.push(i + 1);
      if (l.laterality === null && l.siteGroup !== "spine") cur.uncertainSide = true;
      m.set(key, cur);
    });
  });
  return m;
}

/** Marker centres in a region: one circle per number, stacked down the region; extras as "+n". */
function markerSlots(r: Region, numbers: number[]): { cx: number; cy: number; label: string }[] {
  // The spine strip lies between the trunk halves: its markers start lower, clear of theirs.
  const top = r.y + (r.group === "spine" ? 44 : 12);
  const fit = Math.max(1, Math.floor((r.y + r.h - top + 8) / 22));
  const shown = numbers.length > fit ? numbers.slice(0, fit - 1) : numbers;
  const labels = shown.map(String);
  if (numbers.length > fit) labels.push(`+${numbers.length - shown.length}`);
  return labels.map((label, i) => ({ cx: r.x + r.w / 2, cy: top + i * 22, label }));
}

export function involvedText(lesions: readonly Located[]): string {
  if (lesions.length === 0) return "No involved sites.";
  const parts = new Map<string, Set<string>>();
  for (const l of lesions) {
    const s = parts.get(l.siteGroup) ?? new Set<string>();
    s.add(l.siteGroup === "spine" ? "midline" : (l.laterality ?? "side not stated"));
    parts.set(l.siteGroup, s);
  }
  return "Involved sites: " + [...parts].map(([g, sides]) => `${siteLabel(g)} (${[...sides].join(", ")})`).join("; ") + ".";
}

export function BodyFigure(props: { lesions: readonly Located[] }) {
  const id = useId().replace(/:/g, "");
  const marked = markRegions(props.lesions);
  const other = props.lesions.some((l) => l.siteGroup === "other");
  const desc = involvedText(props.lesions);
  return (
    <figure style={{ margin: 0 }} data-testid="body-figure">
      <svg
        viewBox="0 0 200 370"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        style={{ width: "100%", maxWidth: 170, height: "auto", display: "block" }}
      >
        <title id={`${id}-t`}>Body figure, front view</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#d9cdeb" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#5b3a87" strokeWidth="2.5" />
          </pattern>
        </defs>
        <circle cx="100" cy="30" r="20" fill="#eef1f4" stroke="#6b7885" strokeWidth="1.5" />
        {REGIONS.map((r) => {
          const mk = marked.get(`${r.group}:${r.side}`);
          return (
            <rect
              key={`${r.group}:${r.side}`}
              data-region={`${r.group}:${r.side}`}
              data-involved={mk ? "true" : "false"}
              x={r.x}
              y={r.y}
              width={r.w}
              height={r.h}
              rx={r.group === "spine" ? 3 : 8}
              fill={mk ? `url(#${id}-hatch)` : "#eef1f4"}
              stroke={mk ? "#3b2360" : "#6b7885"}
              strokeWidth={mk ? 2.5 : 1.5}
              strokeDasharray={mk?.uncertainSide ? "5 3" : undefined}
            />
          );
        })}
        {REGIONS.map((r) => {
          const mk = marked.get(`${r.group}:${r.side}`);
          if (!mk || mk.numbers.length === 0) return null;
          return (
            <g key={`m-${r.group}:${r.side}`} aria-hidden="true" data-markers={mk.numbers.join(",")}>
              {markerSlots(r, mk.numbers).map((m) => (
                <g key={m.label}>
                  <circle cx={m.cx} cy={m.cy} r={9} fill="#ffffff" stroke="#3b2360" strokeWidth="2" />
                  <text x={m.cx} y={m.cy + 4} textAnchor="middle" fontSize={m.label.length > 1 ? 9 : 11} fontWeight="700" fill="#1d2731">
                    {m.label}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
        <text x="8" y="20" fontSize="14" fill="#1d2731" aria-hidden="true">
          R
        </text>
        <text x="182" y="20" fontSize="14" fill="#1d2731" aria-hidden="true">
          L
        </text>
      </svg>
      <figcaption style={{ fontSize: "0.75rem", color: "#4a5866", maxWidth: 200 }}>
        Front view; the patient's right is on your left. Hatched, numbered areas match the lesion numbers.
        {other ? " Lesions at other sites are listed only." : ""}
      </figcaption>
    </figure>
  );
}
