/**
 * The OperationOutcome errors of the sandbox's FHIR endpoint: thrown inside the scoped repository
 * (Medplum's router turns an OperationOutcomeError into its answer) or sent by the endpoint itself.
 */
import { OperationOutcomeError, type badRequest } from "@medplum/core";
import type { OperationOutcome } from "fhir/r4";

/** An error OperationOutcome with one issue. */
export function issue(code: string, text: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code: code as "invalid", details: { text } }] };
}

/** One of Medplum's stock outcomes (forbidden, notFound, badRequest("")) with our own wording. */
export function outcome(base: OperationOutcome | ReturnType<typeof badRequest>, text: string): OperationOutcome {
  const o = base as OperationOutcome;
  return { ...o, issue: [{ ...o.issue![0], details: { text } }] };
}

export const fail = (base: OperationOutcome | ReturnType<typeof badRequest>, text: string) =>
  new OperationOutcomeError(outcome(base, text) as ReturnType<typeof badRequest>);

export const notSupported = (text: string) => new OperationOutcomeError(issue("not-supported", text) as ReturnType<typeof badRequest>);
