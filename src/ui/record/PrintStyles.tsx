import GlobalStyles from "@mui/material/GlobalStyles";

/**
 * Print stylesheet: paper gets the clinical summary (print/PrintSummary), not the screen. Its
 * header row is a table head, repeated on every page; lists flow in two columns; the full results
 * table, when asked for, has fixed columns that wrap so that nothing is clipped.
 */
export function PrintStyles() {
  return (
    <GlobalStyles
      styles={{
        ".print-only": { display: "none" },
        "@media print": {
          "@page": { size: "A4", margin: "12mm" },
          body: { background: "#fff !important", color: "#000", fontSize: "10pt" },
          "#record > :not(.print-summary), .no-print, .MuiDialog-root, .MuiPopover-root, .MuiTooltip-popper": {
            display: "none !important",
          },
          "#record": { minHeight: "0 !important", background: "#fff !important" },
          ".print-only": { display: "block !important" },
          ".print-summary": { fontFamily: "system-ui, sans-serif", fontSize: "9.5pt", lineHeight: 1.35, color: "#000" },
          ".print-frame": { width: "100%", borderCollapse: "collapse" },
          ".print-frame > thead": { display: "table-header-group" },
          ".print-header": { borderBottom: "1px solid #000", paddingBottom: "2mm", marginBottom: "3mm", fontSize: "9pt" },
          ".print-summary h2": { fontSize: "11pt", margin: "3mm 0 1mm", breakAfter: "avoid" },
          ".print-summary p": { margin: "0 0 1.5mm" },
          ".print-summary ul, .print-summary ol": { margin: 0, paddingLeft: "5mm" },
          ".print-summary li": { breakInside: "avoid" },
          ".print-status": { fontSize: "13pt", fontWeight: 700 },
          ".print-columns": { columns: 2, columnGap: "6mm" },
          ".print-note": { marginTop: "3mm !important", fontStyle: "italic" },
          ".print-table": { width: "100%", tableLayout: "fixed", borderCollapse: "collapse", fontSize: "8pt" },
          ".print-table th, .print-table td": {
            border: "1px solid #999",
            padding: "0.5mm 1mm",
            textAlign: "left",
            overflowWrap: "anywhere",
            verticalAlign: "top",
          },
          ".print-table thead": { display: "table-header-group" },
          ".print-table tr": { breakInside: "avoid" },
        },
      }}
    />
  );
}
