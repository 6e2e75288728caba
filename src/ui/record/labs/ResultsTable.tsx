import { useState } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { formatDate } from "../../evidence/fhirText";
import { interpret, labLabel, normalizedText, rangeFor, resultValueText } from "./labMeta";
import { EvidenceButton } from "../ruleChips";
import { InterpretationText } from "./InterpretationText";
import type { Row } from "./results";

const PAGE_SIZE = 25;
const COLUMNS = ["Analyte", "Date", "Value", "Normalised", "Range", "Reading", "Source"] as const;

/** Every lab result, paged on screen (25 rows a page). */
export function ResultsTable(props: { rows: Row[]; captionId: string }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(props.rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const visible = props.rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
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
              {COLUMNS.map((c) => (
                <TableCell key={c} component="th" scope="col">
                  {c}
                </TableCell>
              ))}
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
      {props.rows.length > PAGE_SIZE && (
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
