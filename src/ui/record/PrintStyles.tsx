import GlobalStyles from "@mui/material/GlobalStyles";

/**
 * Print stylesheet: no buttons, progress bars or other controls; everything expanded (the results
 * table included); one column; no shadows or tinted backgrounds that waste toner.
 */
export function PrintStyles() {
  return (
    <GlobalStyles
      styles={{
        ".print-only": { display: "none" },
        "@media print": {
          "@page": { margin: "14mm" },
          body: { background: "#fff !important", color: "#000" },
          ".no-print, button, .MuiLinearProgress-root, .MuiSkeleton-root, [role='progressbar']": { display: "none !important" },
          ".print-only": { display: "block !important" },
          ".record-grid": { display: "block !important" },
          ".record-grid > *, .panel": { breakInside: "avoid-page", marginBottom: "8mm" },
          ".MuiPaper-root": { boxShadow: "none !important", border: "1px solid #999 !important" },
          ".MuiCollapse-hidden": { visibility: "visible !important", height: "auto !important" },
          ".MuiCollapse-root": { height: "auto !important" },
          ".results-table": { overflow: "visible !important" },
          ".MuiChip-root": { border: "1px solid #999 !important", background: "none !important" },
          ".lab-chart": { breakInside: "avoid" },
          a: { color: "#000", textDecoration: "none" },
        },
      }}
    />
  );
}
