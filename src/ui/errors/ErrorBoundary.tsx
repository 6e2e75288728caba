import { Component, type ReactNode } from "react";
import Alert from "@mui/material/Alert";

interface Props {
  /** What failed, for the reader: "The labs panel", "The evidence viewer". */
  what: string;
  children: ReactNode;
  /** When it changes, the boundary tries again (e.g. another resource opened in the viewer). */
  resetKey?: unknown;
  /** Shown instead of the standard message, where the part has a better one (the chart: "see the table"). */
  fallback?: ReactNode;
}

/**
 * Keeps a rendering failure (an unexpected shape of data from an EHR) inside the part of the
 * screen it happened in: that part says it could not be shown, the rest of the record stays.
 * The message names no patient data: only what failed and what to do.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidUpdate(prev: Props) {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    if (this.props.fallback !== undefined) return this.props.fallback;
    return (
      <Alert severity="error" variant="outlined" data-testid="render-failure">
        {`${this.props.what} could not be shown: the data it received has a shape this app does not handle. ` +
          "The rest of the screen is not affected. Review this part of the record in the EHR."}
      </Alert>
    );
  }
}
