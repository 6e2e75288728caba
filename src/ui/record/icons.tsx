import type { AssessmentStatus } from "../../clinical/types";

/** Inline SVG icons (no icon package). All decorative: the text beside them carries the meaning. */
function Svg(props: { d: string; size?: number; title?: string }) {
  return (
    <svg
      width={props.size ?? 20}
      height={props.size ?? 20}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      style={{ flex: "none" }}
    >
      <path fill="currentColor" d={props.d} />
    </svg>
  );
}

const P = {
  // circle with a dash
  dash: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zM7 11h10v2H7z",
  // circle with a check
  check: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm-1.2 11.6-3.3-3.3 1.4-1.4 1.9 1.9 4.9-4.9 1.4 1.4z",
  // circle with a question mark
  question:
    "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm-1 12h2v2h-2zm1-10a3.5 3.5 0 0 1 3.5 3.5c0 2.3-2.5 2.6-2.5 4.5h-2c0-3 2.5-3.1 2.5-4.5a1.5 1.5 0 0 0-3 0h-2A3.5 3.5 0 0 1 12 6z",
  // diamond with an exclamation
  diamond: "M12 1.5 22.5 12 12 22.5 1.5 12zm0 2.8L4.3 12l7.7 7.7 7.7-7.7zM11 7h2v6h-2zm0 8h2v2h-2z",
  // filled document with a check
  document: "M6 2h9l5 5v15H6zm4.6 14.6 5.6-5.6-1.4-1.4-4.2 4.2-2-2-1.4 1.4z",
  // triangle with exclamation
  flag: "M12 2 1 21h22zm0 4 7.5 13h-15zm-1 4v5h2v-5zm0 6v2h2v-2z",
  up: "M12 4 5 12h4v8h6v-8h4z",
  down: "M12 20l7-8h-4V4H9v8H5z",
  dot: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
  done: "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
  fail: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm4.3 13-1.3 1.3-3-3-3 3L7.7 15l3-3-3-3L9 7.7l3 3 3-3L16.3 9l-3 3z",
  cut: "M4 11h16v2H4z",
  wait: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm-1 3h2v5.4l3.6 2.1-1 1.7L11 13.6z",
};

export function StatusIcon(props: { status: AssessmentStatus; size?: number }) {
  const d = {
    "not-applicable": P.dash,
    indeterminate: P.flag,
    // Neutral: "nothing recognised in what was read" is not an all-clear.
    "no-evidence": P.dot,
    possible: P.question,
    probable: P.diamond,
    documented: P.document,
  }[props.status];
  return <Svg d={d} size={props.size} />;
}

export const FlagIcon = (p: { size?: number }) => <Svg d={P.flag} size={p.size} />;
export const UpIcon = (p: { size?: number }) => <Svg d={P.up} size={p.size ?? 16} />;
export const DownIcon = (p: { size?: number }) => <Svg d={P.down} size={p.size ?? 16} />;
export const DotIcon = (p: { size?: number }) => <Svg d={P.dot} size={p.size ?? 16} />;
export const DoneIcon = (p: { size?: number }) => <Svg d={P.done} size={p.size ?? 16} />;
export const FailIcon = (p: { size?: number }) => <Svg d={P.fail} size={p.size ?? 16} />;
export const CutIcon = (p: { size?: number }) => <Svg d={P.cut} size={p.size ?? 16} />;
export const WaitIcon = (p: { size?: number }) => <Svg d={P.wait} size={p.size ?? 16} />;
