import Box from "@mui/material/Box";
import type { InterpretationKind } from "./labMeta";
import { DotIcon, DownIcon, UpIcon } from "../icons";

/** A reading ("Above range") with an arrow, never colour alone. */
export function InterpretationText(props: { kind: InterpretationKind; text: string }) {
  const color =
    props.kind === "high" || props.kind === "low" || props.kind === "abnormal"
      ? "#8a4b08"
      : props.kind === "normal"
        ? "#2e6b3a"
        : "text.secondary";
  return (
    <Box
      component="span"
      sx={{
        display: "inline-flex",
        alignItems: "center",
        gap: 0.25,
        color,
        fontWeight: props.kind === "normal" || props.kind === "unknown" ? 400 : 600,
      }}
    >
      {props.kind === "high" ? <UpIcon /> : props.kind === "low" ? <DownIcon /> : <DotIcon />}
      {props.text}
    </Box>
  );
}
