import type { ReactNode } from "react";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import Typography from "@mui/material/Typography";
import { Preformatted } from "../shared/Preformatted";
import { LANDS_IN, TYPE_NAMES } from "./wording";

/** Small parts of the write-back review and result. Text only: strings render as React text nodes. */

export function TypeChip({ type }: { type: string }) {
  return (
    <Chip
      component="span"
      size="small"
      variant="outlined"
      label={TYPE_NAMES[type] ?? type}
      title={type}
      sx={{ mr: 1, flexShrink: 0, height: "auto", "& .MuiChip-label": { py: 0.25, whiteSpace: "nowrap" } }}
    />
  );
}

export function Section(props: { id: string; title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-labelledby={props.id} sx={{ mt: 2 }}>
      <Typography id={props.id} component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

export function ItemList(props: { children: ReactNode; label?: string }) {
  return (
    <Box component="ul" aria-label={props.label} sx={{ pl: 0, my: 0.5, listStyle: "none", display: "grid", gap: 0.75 }}>
      {props.children}
    </Box>
  );
}

/** "Lands as: a draft order proposal in the orders list …" */
export function Landing({ type }: { type: string }) {
  if (!LANDS_IN[type]) return null;
  return (
    <Typography component="span" variant="body2" color="text.secondary" sx={{ display: "block" }}>
      {`Lands as ${LANDS_IN[type]}.`}
    </Typography>
  );
}

/** A resource's type chip and what is said about it; the text goes under the chip where the width is short (360 px). */
export function ItemLine({ resourceType, children }: { resourceType: string; children: ReactNode }) {
  return (
    <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "baseline", rowGap: 0.25 }}>
      <TypeChip type={resourceType} />
      <Box sx={{ flex: "1 1 12rem", minWidth: 0 }}>{children}</Box>
    </Box>
  );
}

/** One resource in a list: its type, what it is, then what is to be said about it. */
export function TypedItem({ resourceType, description, children }: { resourceType: string; description: string; children?: ReactNode }) {
  return (
    <Box component="li">
      <ItemLine resourceType={resourceType}>
        <Typography component="span" variant="body2">
          {description}
        </Typography>
      </ItemLine>
      {children && <Box sx={{ pl: 1 }}>{children}</Box>}
    </Box>
  );
}

export function NoteText(props: { text: string; labelId: string }) {
  return (
    <Preformatted tabIndex={0} aria-labelledby={props.labelId} data-testid="writeback-note" maxHeight={360} mt={0.5}>
      {props.text}
    </Preformatted>
  );
}

/** Items grouped by their reason: each reason stated once, the items it keeps out listed under it. */
export function ByReason({ items }: { items: readonly { key: string; resourceType: string; description: string; reason: string }[] }) {
  const groups = new Map<string, typeof items>();
  for (const item of items) groups.set(item.reason, [...(groups.get(item.reason) ?? []), item]);
  return (
    <Box sx={{ display: "grid", gap: 1, mt: 0.5 }}>
      {[...groups].map(([reason, list]) => (
        <Box key={reason}>
          <Typography variant="body2" color="text.secondary">
            {`Why: ${reason.trim().replace(/\.?$/, ".")}`}
          </Typography>
          <ItemList>
            {list.map((item) => (
              <TypedItem key={item.key} resourceType={item.resourceType} description={item.description} />
            ))}
          </ItemList>
        </Box>
      ))}
    </Box>
  );
}
