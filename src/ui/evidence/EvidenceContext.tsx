import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { FhirResource } from "./fhirText";
import { ErrorBoundary } from "../errors/ErrorBoundary";
import { EvidenceDialog } from "./EvidenceDialog";

interface EvidenceApi {
  /** Opens the viewer for a relative reference ("Observation/123"). */
  open(ref: string): void;
  resolve(ref: string): FhirResource | undefined;
}

const EvidenceCtx = createContext<EvidenceApi>({ open: () => {}, resolve: () => undefined });

export function useEvidence(): EvidenceApi {
  return useContext(EvidenceCtx);
}

/**
 * Provides the evidence viewer to every panel. One dialog for the whole screen; MUI's modal focus
 * trap returns focus to the element that opened it when it closes.
 */
export function EvidenceProvider(props: { resourcesById: Map<string, FhirResource>; children: ReactNode }) {
  const { resourcesById, children } = props;
  const [openRef, setOpenRef] = useState<string | null>(null);
  const open = useCallback((ref: string) => setOpenRef(ref), []);
  const resolve = useCallback((ref: string) => resourcesById.get(ref), [resourcesById]);
  const api = useMemo(() => ({ open, resolve }), [open, resolve]);
  return (
    <EvidenceCtx.Provider value={api}>
      {children}
      <ErrorBoundary what="The evidence viewer" resetKey={openRef}>
        <EvidenceDialog reference={openRef} resource={openRef ? resourcesById.get(openRef) : undefined} onClose={() => setOpenRef(null)} />
      </ErrorBoundary>
    </EvidenceCtx.Provider>
  );
}
