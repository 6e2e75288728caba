import { useEffect, useRef } from "react";
import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { Problem } from "../../session/problems";
import { Preformatted } from "../shared/Preformatted";

/** One launch or session problem: what happened and what to do next. Text only, never HTML. */
export function ProblemScreen({ problem }: { problem: Problem }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [problem]);
  return (
    <Box component="main" data-problem={problem.kind} sx={{ maxWidth: 720, mx: "auto", p: { xs: 1.5, sm: 3 } }}>
      <Typography variant="h5" component="h1" tabIndex={-1} ref={headingRef} sx={{ mb: 2, outline: "none" }}>
        {problem.title}
      </Typography>
      <Alert severity={problem.kind === "session-expired" ? "info" : "warning"} sx={{ mb: 2 }}>
        <AlertTitle>What happened</AlertTitle>
        <Typography sx={{ overflowWrap: "anywhere" }}>{problem.message}</Typography>
      </Alert>
      <Typography sx={{ fontWeight: 600, mb: 2 }}>What to do: {problem.nextStep}</Typography>
      {problem.details && (
        <details>
          <summary>Technical details</summary>
          <Preformatted>{problem.details}</Preformatted>
        </details>
      )}
    </Box>
  );
}
