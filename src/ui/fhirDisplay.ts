/**
 * Left only for ImagingPanel.tsx, which another change is editing: once that lands, point its import
 * at ./evidence/fhirText and ./record/imaging/imagingRows and delete this file.
 */
export { formatDate, type FhirResource } from "./evidence/fhirText";
export { imagingRows } from "./record/imaging/imagingRows";
