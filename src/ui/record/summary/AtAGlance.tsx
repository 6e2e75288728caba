import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { Assessment } from "../../../clinical/types";
import { JumpLink } from "./JumpLink";
import { nextSteps, summaryCounts } from "./nextSteps";

/** The panels, in reading order, for the in-page navigation. */
export const PAGE_SECTIONS = [
  { id: "findings", label: "Findings" },
  { id: "secondary-causes", label: "Secondary causes" },
  { id: "workup-gaps", label: "Workup gaps" },
  { id: "labs", label: "Labs" },
  { id: "imaging", label: "Imaging" },
  { id: "data-quality", label: "Data" },
] as const;

/** Under the headline: counts of what the panels list, and the top three next steps as links. */
export function AtAGlance(props: { assessment: Assessment }) {
  const a = props.assessment;
  const steps = nextSteps(a);
  return (
    <Box data-testid="at-a-glance" sx={{ mt: 1 }}>
      <Box
        component="ul"
        aria-label="Counts"
        sx={{ m: 0, p: 0, listStyle: "none", display: "flex", flexWrap: "wrap", columnGap: 2, rowGap: 0.25, fontSize: "0.875rem" }}
      >
        {summaryCounts(a).map((c) => (
          <li key={c.panel} data-testid="summary-count" data-panel={c.panel}>
            <JumpLink target={c.panel} panel={c.panel}>{`${c.n} ${c.label}`}</JumpLink>
          </li>
        ))}
      </Box>
      {steps.length > 0 && (
        <Box component="section" aria-labelledby="next-steps-heading" id="next-steps" sx={{ mt: 1 }}>
          <Typography variant="h3" component="h2" id="next-steps-heading" sx={{ fontSize: "1rem" }}>
            Next steps
          </Typography>
          <Box component="ol" sx={{ m: 0, mt: 0.25, pl: 2.5, display: "grid", gap: 0.25 }}>
            {steps.map((s, i) => (
              <li key={`${s.target}-${i}`} data-testid="next-step" data-rule={s.ruleId}>
                <JumpLink target={s.target} panel={s.panel}>
                  {s.text}
                </JumpLink>
              </li>
            ))}
          </Box>
        </Box>
      )}
    </Box>
  );
}

/** In-page navigation to every panel (a landmark; the skip link at the top leads here first). */
export function PageNav() {
  return (
    <Box
      component="nav"
      aria-label="On this page"
      className="no-print"
      data-testid="page-nav"
      sx={{ fontSize: "0.875rem", display: "flex", flexWrap: "wrap", columnGap: 1.5, rowGap: 0.25, mt: 1 }}
    >
      <Box component="span" sx={{ color: "text.secondary" }}>
        Go to:
      </Box>
      {PAGE_SECTIONS.map((s) => (
        <JumpLink key={s.id} target={s.id} panel={s.id}>
          {s.label}
        </JumpLink>
      ))}
    </Box>
  );
}

/** The first tab stop: hidden until focused (WCAG 2.4.1 bypass blocks). */
export function SkipLinks() {
  const link = {
    position: "absolute",
    left: 8,
    top: -100,
    zIndex: 1500,
    bgcolor: "background.paper",
    px: 1.5,
    py: 1,
    borderRadius: 1,
    boxShadow: 3,
    "&:focus-within": { top: 8 },
  } as const;
  return (
    <Box className="no-print" sx={{ position: "relative" }}>
      <Box sx={link}>
        <JumpLink target="headline">Skip to the summary</JumpLink>
      </Box>
    </Box>
  );
}
