import type { ReactNode } from "react";
import Box from "@mui/material/Box";
import ButtonBase from "@mui/material/ButtonBase";
import Paper from "@mui/material/Paper";
import Skeleton from "@mui/material/Skeleton";
import Typography from "@mui/material/Typography";
import { usePanelOpen } from "./usePanelOpen";

/**
 * A titled panel with a stable id for in-page links; shows a fixed-height skeleton while `loading`.
 * The title is a disclosure button (collapsed state kept for the session, see usePanelOpen).
 */
export function Panel(props: {
  id: string;
  title: string;
  loading?: boolean;
  skeletonHeight?: number;
  children?: ReactNode;
  actions?: ReactNode;
  count?: number;
}) {
  const { id, title, loading, skeletonHeight = 120, children, actions, count } = props;
  const [open, toggle] = usePanelOpen(id);
  return (
    <Paper
      component="section"
      aria-labelledby={`${id}-heading`}
      id={id}
      tabIndex={-1}
      sx={{ p: { xs: 1.5, sm: 2 }, minWidth: 0, scrollMarginTop: 8 }}
      className="panel"
    >
      <Box sx={{ display: "flex", alignItems: "baseline", justifyContent: "space-between", gap: 1, flexWrap: "wrap", mb: open ? 1 : 0 }}>
        <Typography variant="h2" id={`${id}-heading`}>
          <ButtonBase
            onClick={toggle}
            aria-expanded={open}
            aria-controls={`${id}-body`}
            data-testid={`${id}-toggle`}
            sx={{ font: "inherit", color: "inherit", textAlign: "left", gap: 0.5, borderRadius: 0.5, alignItems: "baseline" }}
          >
            <Box
              component="span"
              aria-hidden="true"
              sx={{ display: "inline-block", width: "1em", transform: open ? "none" : "rotate(-90deg)" }}
            >
              ▾
            </Box>
            {title}
            {count !== undefined && !loading && (
              <Typography component="span" variant="body2" sx={{ ml: 0.5, color: "text.secondary" }} data-testid={`${id}-count`}>
                ({count})
              </Typography>
            )}
          </ButtonBase>
        </Typography>
        {open && actions}
      </Box>
      <div id={`${id}-body`} hidden={!open}>
        {loading ? (
          <Box aria-hidden="true" data-testid={`${id}-skeleton`}>
            <Skeleton variant="rounded" height={skeletonHeight} animation={false} />
          </Box>
        ) : (
          open && children
        )}
      </div>
    </Paper>
  );
}

export function Empty(props: { children: ReactNode }) {
  return (
    <Typography variant="body2" sx={{ color: "text.secondary" }}>
      {props.children}
    </Typography>
  );
}
