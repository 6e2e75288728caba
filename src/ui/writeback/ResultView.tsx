import { useId, useState, type Ref } from "react";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import Typography from "@mui/material/Typography";
import type { CreatedItem, PendingItem, WriteResult } from "../../fhir/submit";
import { Preformatted } from "../shared/Preformatted";
import { ByReason, ItemList, NoteText, Section, TypeChip, TypedItem } from "./parts";
import { resultHeadline } from "./wording";

/**
 * After a send: what the EHR holds now (each created item with its id and JSON), what it refused
 * and why, what may have been saved (the answer was lost: Retry checks), what was not sent yet,
 * what was not written by design, and the note to copy when it was not written.
 */
export function ResultView(props: { result: WriteResult; noteText: string; ids: string; headingRef?: Ref<HTMLDivElement> }) {
  const { result, ids } = props;
  const headline = resultHeadline(result);
  const maybe = result.pending.filter((p) => p.saved === "unknown");
  const notSent = result.pending.filter((p) => p.saved !== "unknown");
  return (
    <>
      <Box ref={props.headingRef} tabIndex={-1} sx={{ "&:focus": { outline: "none" } }}>
        <Alert severity={headline.severity} id={`${ids}-summary`}>
          {headline.text}
        </Alert>
      </Box>
      {result.notes.map((note) => (
        <Typography key={note} variant="body2" sx={{ mt: 1 }}>
          {note}
        </Typography>
      ))}
      {result.created.length > 0 && (
        <Section id={`${ids}-created`} title={`In the EHR (${result.created.length})`}>
          <ItemList>
            {result.created.map((item) => (
              <CreatedRow key={item.key} item={item} />
            ))}
          </ItemList>
        </Section>
      )}
      {result.refused.length > 0 && (
        <Section id={`${ids}-refused`} title={`Refused by the EHR (${result.refused.length})`}>
          <ItemList>
            {result.refused.map((item) => (
              <TypedItem key={item.key} resourceType={item.resourceType} description={item.description}>
                <Typography variant="body2">{`The EHR said${item.status ? ` (HTTP ${item.status})` : ""}: ${item.message}`}</Typography>
                {item.foldedIntoNote && (
                  <Typography variant="body2" color="text.secondary">
                    What it would have said is stated in the note instead.
                  </Typography>
                )}
              </TypedItem>
            ))}
          </ItemList>
        </Section>
      )}
      <PendingSection id={`${ids}-maybe`} title={`May have been saved (${maybe.length})`} items={maybe} />
      <PendingSection id={`${ids}-pending`} title={`Not sent yet (${notSent.length})`} items={notSent} />
      {result.skipped.length > 0 && (
        <Section id={`${ids}-skipped`} title={`Not written, by design (${result.skipped.length})`}>
          <ByReason items={result.skipped} />
        </Section>
      )}
      {!result.noteWritten && (
        <Section id={`${ids}-copy`} title="The note, to copy into the chart">
          <NoteText text={props.noteText} labelId={`${ids}-copy`} />
        </Section>
      )}
    </>
  );
}

function PendingSection({ id, title, items }: { id: string; title: string; items: readonly PendingItem[] }) {
  if (!items.length) return null;
  return (
    <Section id={id} title={title}>
      <ItemList>
        {items.map((item) => (
          <TypedItem key={item.key} resourceType={item.resourceType} description={item.description}>
            <Typography variant="body2" color="text.secondary">
              {item.reason}
            </Typography>
          </TypedItem>
        ))}
      </ItemList>
    </Section>
  );
}

function CreatedRow({ item }: { item: CreatedItem }) {
  const [open, setOpen] = useState(false);
  const jsonId = useId();
  return (
    <Box component="li">
      <Box sx={{ display: "flex", alignItems: "center", flexWrap: "wrap", gap: 0.5 }}>
        <TypeChip type={item.resourceType} />
        <Typography component="span" variant="body2" sx={{ fontFamily: "ui-monospace, monospace", overflowWrap: "anywhere" }}>
          {item.reference}
        </Typography>
        {item.existed && <Chip component="span" size="small" label="already in the EHR" color="default" />}
        {item.confirmedAfterFailure && <Chip component="span" size="small" label="confirmed after an error" />}
        <Button
          size="small"
          onClick={() => setOpen((v) => !v)}
          aria-expanded={open}
          aria-controls={jsonId}
          aria-label={`${open ? "Hide" : "View"} ${item.reference}`}
        >
          {open ? "Hide" : "View"}
        </Button>
      </Box>
      <Typography variant="body2" color="text.secondary">
        {item.description}
      </Typography>
      {open && (
        <Preformatted id={jsonId} tabIndex={0} aria-label={`${item.reference} as FHIR JSON`} maxHeight={280}>
          {JSON.stringify(item.resource, null, 2)}
        </Preformatted>
      )}
    </Box>
  );
}
