import { useState } from "react";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Checkbox from "@mui/material/Checkbox";
import FormControlLabel from "@mui/material/FormControlLabel";
import Typography from "@mui/material/Typography";
import type { Assessment } from "../../clinical/types";

/** Writes text to the clipboard; falls back to a hidden textarea where the async API is missing. */
export async function copyText(text: string): Promise<void> {
  if (typeof navigator !== "undefined" && navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand?.("copy");
  document.body.removeChild(ta);
  if (!ok) throw new Error("copy refused");
}

export function assessmentFileName(a: Assessment): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
  return `assessment-${safe(a.patient.id || "patient")}-${safe(a.asOf)}.json`;
}

/** Starts a download of the Assessment JSON (a Blob URL; nothing leaves the browser). */
export function downloadAssessment(a: Assessment): void {
  const blob = new Blob([JSON.stringify(a, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = assessmentFileName(a);
  document.body.appendChild(link);
  link.click();
  document.body.removeChild(link);
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Copy summary, download JSON, print. The status line keeps its height so nothing shifts. */
export function ExportBar(props: {
  assessment: Assessment;
  summary: () => string;
  complete: boolean;
  /** Print the table of every lab result after the summary (off: the one- to two-page summary). */
  printAll: boolean;
  onPrintAll(value: boolean): void;
}) {
  const [message, setMessage] = useState("");
  const copy = async () => {
    try {
      await copyText(props.summary());
      setMessage("Summary copied to the clipboard.");
    } catch {
      setMessage("The browser refused clipboard access; use Print or Download instead.");
    }
  };
  return (
    <Box className="no-print">
      <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1 }}>
        <Button variant="outlined" size="small" onClick={copy}>
          Copy summary
        </Button>
        <Button
          variant="outlined"
          size="small"
          onClick={() => {
            downloadAssessment(props.assessment);
            setMessage("Assessment JSON downloaded.");
          }}
        >
          Download JSON
        </Button>
        <Button variant="outlined" size="small" onClick={() => window.print()}>
          Print
        </Button>
        <FormControlLabel
          sx={{ ml: 0 }}
          control={<Checkbox size="small" checked={props.printAll} onChange={(e) => props.onPrintAll(e.target.checked)} />}
          label={<Typography variant="body2">Print all lab results too</Typography>}
        />
      </Box>
      <Typography variant="body2" role="status" sx={{ minHeight: "1.5em", mt: 0.5, color: "text.secondary" }} data-testid="export-status">
        {message || (props.complete ? "" : "Still loading: an export now reflects the data received so far.")}
      </Typography>
    </Box>
  );
}
