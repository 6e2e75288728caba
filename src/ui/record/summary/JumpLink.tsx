import type { ReactNode } from "react";
import Link from "@mui/material/Link";
import { openPanel } from "../usePanelOpen";

/**
 * An in-page link that opens the panel holding its target, scrolls to it and moves focus there
 * (so the next Tab continues from the target). The URL is left alone.
 */
export function JumpLink(props: { target: string; panel?: string; children: ReactNode; testId?: string }) {
  const { target, panel } = props;
  return (
    <Link
      href={`#${target}`}
      data-testid={props.testId}
      onClick={(e) => {
        e.preventDefault();
        if (panel) openPanel(panel);
        // After the panel has rendered its body.
        requestAnimationFrame(() => {
          const el = document.getElementById(target);
          if (!el) return;
          if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
          el.scrollIntoView({ block: "start" });
          el.focus({ preventScroll: true });
        });
      }}
    >
      {props.children}
    </Link>
  );
}
