import type { ReactNode } from "react";
import Box from "@mui/material/Box";

export const MONOSPACE = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";

/**
 * Preformatted text (raw JSON, the note to be written, technical details): wrapped rather than
 * cut off, scrolling past `maxHeight`, and focusable (`tabIndex={0}`) where it scrolls, so that a
 * keyboard can scroll it. The text is a React text node, never markup.
 */
export function Preformatted(props: {
  children: ReactNode;
  maxHeight?: number | string;
  mt?: number;
  id?: string;
  tabIndex?: number;
  "aria-label"?: string;
  "aria-labelledby"?: string;
  "data-testid"?: string;
}) {
  const { children, maxHeight, mt, ...attributes } = props;
  return (
    <Box
      component="pre"
      {...attributes}
      sx={{
        m: 0,
        mt,
        p: 1.5,
        borderRadius: 1,
        bgcolor: "action.hover",
        fontFamily: MONOSPACE,
        fontSize: "0.8rem",
        whiteSpace: "pre-wrap",
        overflowWrap: "anywhere",
        overflow: "auto",
        maxHeight,
        "&:focus-visible": { outline: "2px solid", outlineColor: "primary.main" },
      }}
    >
      {children}
    </Box>
  );
}
