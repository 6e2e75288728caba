/**
 * Binary, as EHRs serve report and note attachments (DiagnosticReport.presentedForm.url,
 * DocumentReference.content.attachment.url): who may read one, and its two representations.
 *
 * R4 puts Binary outside every compartment; access follows its `securityContext` instead. So here:
 * a Binary is the launch patient's when its securityContext is that Patient (or a resource the
 * patient may see), or, without a securityContext, when a DocumentReference or DiagnosticReport of
 * the patient points at it. A read answers the raw bytes with the Binary's content type, unless the
 * client asks for FHIR JSON (the Binary resource, base64 `data`).
 */
import { Operator } from "@medplum/core";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Attachment, Binary, DiagnosticReport, DocumentReference, Resource } from "fhir/r4";
import type { SandboxStore } from "./store";

/** The attachments a referring resource carries. */
const ATTACHMENTS: Record<string, (r: Resource) => (Attachment | undefined)[]> = {
  DocumentReference: (r) => (r as DocumentReference).content.map((c) => c.attachment),
  DiagnosticReport: (r) => (r as DiagnosticReport).presentedForm ?? [],
};

export function binaryInCompartment(
  binary: Binary,
  patientId: string,
  store: SandboxStore,
  fhirBase: string,
  visible: (resource: Resource) => boolean,
): boolean {
  const context = binary.securityContext?.reference?.replace(`${fhirBase}/`, "");
  if (context) {
    const [type, id] = context.split("/");
    if (type === "Patient") return id === patientId;
    const target = type && id ? store.peek(type, id) : undefined;
    return !!target && target.resourceType !== "Binary" && visible(target);
  }
  const urls = new Set([`Binary/${binary.id}`, `${fhirBase}/Binary/${binary.id}`]);
  return Object.entries(ATTACHMENTS).some(([resourceType, attachments]) =>
    store
      .matchAll({
        resourceType: resourceType as "DocumentReference",
        filters: [{ code: "patient", operator: Operator.EQUALS, value: `Patient/${patientId}` }],
      })
      .some((r) => attachments(r).some((a) => !!a?.url && urls.has(a.url))),
  );
}

const FHIR_TYPES = ["application/fhir+json", "application/json", "application/json+fhir"];

/** FHIR JSON when the client asks for it (Accept or `_format`); otherwise the raw content. */
export function wantsFhirJson(req: IncomingMessage, url: URL): boolean {
  const format = url.searchParams.get("_format");
  if (format) return format === "json" || FHIR_TYPES.includes(format);
  const accept = String(req.headers.accept ?? "").toLowerCase();
  return FHIR_TYPES.some((t) => accept.includes(t));
}

/**
 * The raw bytes. The content is the EHR's document, not the sandbox's page: `nosniff` and a
 * sandboxing CSP keep an HTML attachment opened directly in a browser from running anything.
 */
export function sendRawBinary(res: ServerResponse, binary: Binary, headers: Record<string, string>): void {
  const body = Buffer.from(binary.data ?? "", "base64");
  res.writeHead(200, {
    ...headers,
    "Content-Type": binary.contentType,
    "Content-Length": body.length,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
  });
  res.end(body);
}
