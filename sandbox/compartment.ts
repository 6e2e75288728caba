/**
 * The launch patient's compartment (R4 CompartmentDefinition "patient"), as patient/ scopes see it:
 * which resources are in it, the restriction that narrows a search to it, and the searches that
 * name another patient (refused rather than answered empty).
 */
import { Operator, forbidden, matchesSearchRequest, splitSearchOnComma, type SearchRequest } from "@medplum/core";
import type { Binary, Provenance, Resource } from "fhir/r4";
import { binaryInCompartment } from "./binary";
import { narrowSearchParam, patientCompartmentParams, searchParam } from "./definitions";
import { fail } from "./outcomes";
import type { MedplumResource, Restriction, SandboxStore } from "./store";

export class PatientCompartment {
  constructor(
    private readonly store: SandboxStore,
    /** undefined: no patient in context, so nothing is in the compartment. */
    private readonly patientId: string | undefined,
    private readonly fhirBase: string,
  ) {}

  /** A search naming another patient explicitly is refused (403) rather than answered empty. */
  refuseOtherPatients(search: SearchRequest): void {
    const me = this.patientId;
    for (const f of search.filters ?? []) {
      if (f.operator !== Operator.EQUALS) continue;
      const isPatientId = search.resourceType === "Patient" && f.code === "_id";
      if (!isPatientId && searchParam(search.resourceType, f.code)?.type !== "reference") continue;
      for (const v of splitSearchOnComma(f.value)) {
        const id = isPatientId ? v : /^Patient\/([^/]+)$/.exec(v)?.[1];
        if (id !== undefined && id !== me) {
          throw fail(forbidden, `Patient/${id} is outside the launch patient's compartment (Patient/${me}).`);
        }
      }
    }
  }

  /**
   * A search that already requires `patient` (or a compartment parameter) to be the launch patient
   * only returns resources in the compartment: no need to test each result again.
   */
  impliesCompartment(search: SearchRequest): boolean {
    const type = search.resourceType;
    if (type === "Patient") return false;
    const codes = new Set([...patientCompartmentParams(type), "patient"]);
    return (search.filters ?? []).some(
      (f) => f.operator === Operator.EQUALS && codes.has(f.code) && f.value === `Patient/${this.patientId}`,
    );
  }

  /** The launch patient's compartment, for search results (undefined: the type is outside it). */
  restriction(type: string): Restriction | undefined {
    const id = this.patientId ?? "";
    if (type !== "Patient" && type !== "Binary" && patientCompartmentParams(type).length === 0) return undefined;
    // A Provenance may reach the patient only through its targets, a Binary through the documents
    // pointing at it (see visible()): no text every visible one contains, and verdicts that change.
    const indirect = type === "Provenance" || type === "Binary";
    return {
      key: `Patient/${id}`,
      needle: indirect ? undefined : (type === "Patient" ? id : `Patient/${id}`).toLowerCase(),
      test: (r) => this.visible(r),
      volatile: indirect,
    };
  }

  /**
   * Is the resource in the launch patient's compartment (R4 CompartmentDefinition "patient")?
   * One addition: a Provenance is also visible when one of its targets is. R4 puts a Provenance in
   * the compartment only through `patient` (a target that is the Patient itself), which the
   * Provenance of a write-back (targets: the note, the issues…) never has; without this, the app
   * could not find its own Provenance again to avoid duplicating it on a retry. A Binary is in no
   * compartment in R4: sandbox/binary.ts says when it is the patient's.
   */
  visible(resource: Resource, depth = 0): boolean {
    const id = this.patientId;
    if (!id) return false;
    const type = resource.resourceType;
    if (type === "Patient") return resource.id === id;
    if (type === "Binary") {
      return depth === 0 && binaryInCompartment(resource as Binary, id, this.store, this.fhirBase, (r) => this.visible(r, depth + 1));
    }
    const params = patientCompartmentParams(type);
    if (params.length === 0) return true; // Practitioner, Organization, …: not patient data
    const inCompartment = params.some((code) => {
      narrowSearchParam(type, code);
      return matchesSearchRequest(resource as MedplumResource, {
        resourceType: type as MedplumResource["resourceType"],
        filters: [{ code, operator: Operator.EQUALS, value: `Patient/${id}` }],
      });
    });
    if (inCompartment || resource.resourceType !== "Provenance" || depth > 0) return inCompartment;
    return (resource as Provenance).target.some((t) => {
      const [targetType, targetId] = (t.reference ?? "").split("/");
      const target = targetType && targetId ? this.store.peek(targetType, targetId) : undefined;
      return !!target && target.resourceType !== "Provenance" && this.visible(target, depth + 1);
    });
  }
}
