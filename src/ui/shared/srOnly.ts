/** Visually hidden, read by screen readers. */
export const srOnly = {
  position: "absolute",
  // Strings, not numbers: in `sx` a number ≤ 1 means a percentage.
  width: "1px",
  height: "1px",
  padding: 0,
  margin: "-1px",
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;
