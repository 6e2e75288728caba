import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Checkbox from "@mui/material/Checkbox";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Typography from "@mui/material/Typography";
import type { ItemOutcome } from "../../writeback/draft";
import type { WritePlan } from "../../writeback/plan";
import type { WriteChoices } from "../../writeback/types";
import { ByReason, ItemLine, ItemList, Landing, NoteText, Section } from "./parts";
import { EARLIER_STATE } from "./wording";

/**
 * The review before sending: how it is saved, what is chosen (each structured item can be
 * deselected; the diagnosis is opt-in), what is always saved, what is not and why (each reason
 * once), and the note in full. Copy-only: the one reason and the note, nothing to choose.
 */
export interface ReviewViewProps {
  plan: WritePlan;
  choices: WriteChoices;
  onChoicesChange(choices: WriteChoices): void;
  /** What an earlier send left in the EHR, per item key (from the draft). */
  earlier: Readonly<Record<string, ItemOutcome>>;
  noteText: string;
  /** Prefix for element ids. */
  ids: string;
  /** No changes (the session expired). */
  readOnly?: boolean;
}

export function ReviewView({ plan, choices, onChoicesChange, earlier, noteText, ids, readOnly = false }: ReviewViewProps) {
  const summary = (
    <Typography id={`${ids}-summary`} variant="body2">
      {plan.summary}
    </Typography>
  );
  if (plan.mode === "copy-only") {
    return (
      <>
        {summary}
        <Section id={`${ids}-note`} title="The note, to copy into the chart">
          <NoteText text={noteText} labelId={`${ids}-note`} />
        </Section>
      </>
    );
  }
  const always = plan.write.filter((w) => w.tier === "A" || w.resourceType === "Provenance");
  const notSaved = plan.skip.filter((s) => s.cause !== "deselected" && s.cause !== "withheld");
  return (
    <>
      {summary}
      {plan.structuredWithheld && (
        <Alert severity="info" variant="outlined" sx={{ mt: 1.5 }}>
          {plan.structuredWithheld}
        </Alert>
      )}
      {!plan.structuredWithheld && plan.conditionUnavailable !== null && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }}>
          {`No provisional diagnosis is offered: ${plan.conditionUnavailable}`}
        </Typography>
      )}
      <ChosenSection plan={plan} choices={choices} onChoicesChange={onChoicesChange} earlier={earlier} ids={ids} readOnly={readOnly} />
      <Section id={`${ids}-always`} title={`Always saved (${always.length})`}>
        <ItemList>
          {always.map((w) => (
            <Box component="li" key={w.key}>
              <ItemLine resourceType={w.resourceType}>
                <Typography component="span" variant="body2">
                  {w.description}
                </Typography>
                <Earlier outcome={earlier[w.key]} />
                <Landing type={w.resourceType} />
              </ItemLine>
            </Box>
          ))}
        </ItemList>
      </Section>
      {notSaved.length > 0 && (
        <Section id={`${ids}-skip`} title={`Will not be saved (${notSaved.length})`}>
          <ByReason items={notSaved} />
        </Section>
      )}
      <Section id={`${ids}-note`} title={plan.noteWritable ? "The note, as it will be saved" : "The note, to copy into the chart"}>
        <NoteText text={noteText} labelId={`${ids}-note`} />
      </Section>
    </>
  );
}

/** The structured items the clinician chooses: the opt-in diagnosis, then each issue and proposal (on by default). */
function ChosenSection({ plan, choices, onChoicesChange, earlier, ids, readOnly = false }: Omit<ReviewViewProps, "noteText">) {
  const deselected = new Set(choices.deselected ?? []);
  const toggle = (key: string, selected: boolean) => {
    const next = selected ? [...deselected].filter((k) => k !== key) : [...deselected, key];
    onChoicesChange({ ...choices, deselected: next });
  };
  const conditionOffered = plan.conditionUnavailable === null;
  const offered = plan.selectable.length + (conditionOffered ? 1 : 0);
  const chosen = plan.selectable.filter((s) => s.selected).length + (plan.write.some((w) => w.key === "condition") ? 1 : 0);
  if (offered === 0) return null;
  return (
    <Section id={`${ids}-chosen`} title={`Structured data to record (${chosen} of ${offered} chosen)`}>
      <ItemList>
        {conditionOffered && (
          <CheckRow
            checked={choices.includeCondition}
            onChange={(checked) => onChoicesChange({ ...choices, includeCondition: checked })}
            resourceType="Condition"
            description="Also record a provisional diagnosis of tumoral calcinosis (with the lesion sites)"
            earlier={earlier.condition}
            readOnly={readOnly}
          />
        )}
        {plan.selectable.map((item) => (
          <CheckRow
            key={item.key}
            checked={item.selected}
            onChange={(checked) => toggle(item.key, checked)}
            resourceType={item.resourceType}
            description={item.description}
            earlier={earlier[item.key]}
            readOnly={readOnly}
          />
        ))}
      </ItemList>
    </Section>
  );
}

/** One structured item with its checkbox: type, description, earlier state, where it lands. */
function CheckRow(props: {
  checked: boolean;
  onChange(checked: boolean): void;
  resourceType: string;
  description: string;
  earlier?: ItemOutcome;
  readOnly: boolean;
}) {
  return (
    <Box component="li">
      <FormControlLabel
        sx={{ alignItems: "flex-start", mr: 0 }}
        disabled={props.readOnly}
        control={<Checkbox checked={props.checked} onChange={(event) => props.onChange(event.target.checked)} sx={{ pt: 0.25 }} />}
        label={
          <ItemLine resourceType={props.resourceType}>
            <Typography component="span" variant="body2">
              {props.description}
            </Typography>
            <Earlier outcome={props.earlier} />
            <Landing type={props.resourceType} />
          </ItemLine>
        }
      />
    </Box>
  );
}

/** What an earlier send left of this item ("in the EHR: DetectedIssue/12"). */
function Earlier({ outcome }: { outcome?: ItemOutcome }) {
  if (!outcome) return null;
  const label = `${EARLIER_STATE[outcome.state]}${outcome.reference ? `: ${outcome.reference}` : ""}`;
  return <Chip component="span" size="small" label={label} sx={{ ml: 1, height: "auto", "& .MuiChip-label": { py: 0.25 } }} />;
}
