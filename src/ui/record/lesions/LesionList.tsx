import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { formatDate } from "../../evidence/fhirText";
import { EvidenceChips } from "../ruleChips";
import { modalityText, sizeText, type LesionRow } from "./lesionRows";
import { LesionSizeChart } from "./LesionSizeChart";

const SOURCE_MAX = 240;

/** A report sentence, cut at a word for the screen (the evidence viewer shows the whole report). */
function clip(text: string): string {
  if (text.length <= SOURCE_MAX) return text;
  const cut = text.slice(0, SOURCE_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), SOURCE_MAX - 40))}…`;
}

function cm(v: number | null): string {
  return v === null ? "size not stated" : `${Number(v.toFixed(1))} cm`;
}

/** One lesion: site, latest and peak size, first seen, and its dated size timeline with a chart. */
function LesionItem(props: { row: LesionRow; n: number }) {
  const { row, n } = props;
  return (
    <Box
      component="li"
      data-testid="lesion"
      data-lesion={row.id}
      sx={{ py: 1, borderTop: 1, borderColor: "divider", "&:first-of-type": { borderTop: 0 } }}
    >
      <Typography component="h4" variant="h4" sx={{ display: "flex", gap: 1, alignItems: "baseline" }}>
        <Box component="span" sx={{ fontVariantNumeric: "tabular-nums", color: "text.secondary" }}>{`#${n}`}</Box>
        <span>{row.label}</span>
      </Typography>
      <Typography variant="body2" sx={{ mt: 0.25 }} data-testid="lesion-summary">
        <strong>Latest {cm(row.latestCm)}</strong>
        {row.peakCm !== null && row.peakCm !== row.latestCm ? `, peak ${cm(row.peakCm)}` : ""}
        {`; first seen ${row.firstSeen ? formatDate(row.firstSeen) : "date unknown"}`}
      </Typography>
      <Box sx={{ display: "flex", flexWrap: "wrap", gap: 1.5, alignItems: "flex-start", mt: 0.5 }}>
        <Box component="ol" aria-label={`Size history, ${row.label}`} sx={{ m: 0, pl: 2.5, flex: "1 1 220px", minWidth: 0 }}>
          {row.measurements.map((m, i) => (
            <Box component="li" key={i} data-testid="lesion-measurement" sx={{ fontSize: "0.875rem", mb: 0.5 }}>
              <span>
                {m.date ? formatDate(m.date) : "date unknown"} · {modalityText(m.modality)} · <strong>{sizeText(m)}</strong>
              </span>
              {m.sourceText && (
                <Box
                  component="blockquote"
                  sx={{ m: 0, pl: 1, borderLeft: 3, borderColor: "divider", fontStyle: "italic", overflowWrap: "anywhere" }}
                  data-testid="lesion-source"
                >
                  {`“${clip(m.sourceText)}”`}
                </Box>
              )}
              <EvidenceChips refs={m.evidence} />
            </Box>
          ))}
        </Box>
        <Box sx={{ flex: "0 1 240px" }}>
          <LesionSizeChart measurements={row.measurements} />
        </Box>
      </Box>
    </Box>
  );
}

export function LesionList(props: { rows: LesionRow[] }) {
  return (
    <Box component="ol" sx={{ listStyle: "none", m: 0, p: 0, flex: "1 1 240px", minWidth: 0 }} aria-label="Lesions">
      {props.rows.map((row, i) => (
        <LesionItem key={row.id} row={row} n={i + 1} />
      ))}
    </Box>
  );
}
