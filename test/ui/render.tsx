import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import { ThemeProvider } from "@mui/material/styles";
import { themeFromSmartStyle } from "../../src/ui/theme";
import { EvidenceProvider } from "../../src/ui/evidence/EvidenceContext";
import type { FhirResource } from "../../src/ui/evidence/fhirText";

/** Renders inside the app theme and an evidence provider (for panels tested on their own). */
export function renderUi(ui: ReactElement, resourcesById: Map<string, FhirResource> = new Map()) {
  return render(
    <ThemeProvider theme={themeFromSmartStyle()}>
      <EvidenceProvider resourcesById={resourcesById}>{ui}</EvidenceProvider>
    </ThemeProvider>,
  );
}
