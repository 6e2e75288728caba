/**
 * What one access token may do, enforced as a FhirRepository wrapped around the store. Medplum's
 * FhirRouter (single requests, batches and transactions alike) only ever sees this view, so every
 * path goes through the same checks: granted scopes per type and interaction, the launch patient's
 * compartment for patient/ scopes, the types the server serves and accepts for create and update.
 */
import { Operator, badRequest, deepClone, forbidden, notFound, splitSearchOnComma, type SearchRequest } from "@medplum/core";
import { FhirRepository, type CreateResourceOptions, type UpdateResourceOptions } from "@medplum/fhir-router";
import type { Bundle, Resource } from "fhir/r4";
import { PatientCompartment } from "./compartment";
import { relativiseReferences, validate, withoutServerMeta } from "./incomingResource";
import { fail, notSupported } from "./outcomes";
import { pageWindow, type PagingPolicy } from "./paging";
import { grantContext, missingScopeText, type Permission, type ResourceScope } from "./scopes";
import { normaliseSearch } from "./searchSupport";
import type { MedplumResource, Restriction, SandboxStore } from "./store";

export interface Access {
  /** The launch patient: patient/ scopes reach this patient's compartment only. */
  patientId?: string;
  scopes: readonly ResourceScope[];
  /** "Practitioner/<id>" when `openid fhirUser` was granted: always readable by its user. */
  fhirUser?: string;
}

export interface Policy {
  fhirBase: string;
  servedTypes: ReadonlySet<string>;
  writableTypes: ReadonlySet<string>;
  /** Types accepted for update (PUT <type>/<id>, update-as-create included). */
  updatableTypes: ReadonlySet<string>;
  paging: PagingPolicy;
  /** Validate created and updated resources against the R4 StructureDefinitions (400 with the issues). */
  validate: boolean;
}

export class ScopedRepository extends FhirRepository<undefined> {
  private readonly compartment: PatientCompartment;

  constructor(
    private readonly store: SandboxStore,
    private readonly access: Access,
    private readonly policy: Policy,
  ) {
    super();
    this.compartment = new PatientCompartment(store, access.patientId, policy.fhirBase);
  }

  setMode(): void {}

  generateId(): string {
    return this.store.generateId();
  }

  async withTransaction<TResult>(callback: (client: undefined) => Promise<TResult>): Promise<TResult> {
    // Atomicity comes from the caller: writes are serialised and a failed transaction rolled back.
    return callback(undefined);
  }

  async createResource<T extends MedplumResource>(input: T, options?: CreateResourceOptions): Promise<any> {
    const type = input.resourceType;
    this.served(type);
    if (!this.policy.writableTypes.has(type)) throw notSupported(`This server does not accept new ${type} resources.`);
    const context = this.require(type, "c");
    const resource = withoutServerMeta(input);
    // The server assigns ids (in a batch, Medplum has assigned one already to resolve urn:uuid links).
    if (!options?.assignedId) delete resource.id;
    const refs = relativiseReferences(resource, this.policy.fhirBase);
    if (context === "patient") {
      const others = refs.filter((id) => id !== this.access.patientId);
      if (type === "Patient" || others.length) {
        throw fail(
          forbidden,
          `A patient/ scope only allows writing about the launch patient (Patient/${this.access.patientId}); this ${type} refers to ${others.map((id) => `Patient/${id}`).join(", ") || "a new Patient"}.`,
        );
      }
    }
    if (this.policy.validate) validate(resource);
    return this.store.createResource(resource as MedplumResource);
  }

  /**
   * Update, or update-as-create when the id is new (FHIR "upsert"): needs `u`, and also `c` for a
   * new resource. With a patient/ scope both the stored version (if any) and the new one must be
   * in the launch patient's compartment, and refer to no other patient: an update cannot move a
   * resource into or out of the compartment. Every update is a write, even one that changes
   * nothing (as on most servers: a new version), so a client that re-sends unchanged data shows
   * in /debug/writes.
   */
  override async updateResource<T extends MedplumResource>(input: T, options?: UpdateResourceOptions): Promise<any> {
    const type = input.resourceType;
    this.served(type);
    if (!this.policy.updatableTypes.has(type)) throw notSupported(`This server does not accept updates of ${type} resources.`);
    if (!input.id) throw fail(badRequest(""), `An update needs the resource's id (PUT ${type}/<id>).`);
    const existing = this.store.peek(type, input.id);
    const contexts = [this.require(type, "u"), ...(existing ? [] : [this.require(type, "c")])];
    const context = contexts.includes("patient") ? "patient" : "user";
    const resource = withoutServerMeta(input);
    const refs = relativiseReferences(resource, this.policy.fhirBase);
    if (context === "patient") {
      const me = this.access.patientId;
      const others = refs.filter((id) => id !== me);
      const where = `${type}/${input.id}`;
      if (existing && !this.compartment.visible(existing)) {
        throw fail(forbidden, `${where} is outside the launch patient's compartment (Patient/${me}).`);
      }
      if (others.length || !this.compartment.visible(resource)) {
        throw fail(
          forbidden,
          `A patient/ scope only allows writing about the launch patient (Patient/${me}); this ${type} ${others.length ? `refers to ${others.map((id) => `Patient/${id}`).join(", ")}` : "is not in that patient's compartment"}.`,
        );
      }
    }
    if (this.policy.validate) validate(resource);
    return this.store.updateResource(resource as MedplumResource, options);
  }

  async readResource<T>(resourceType: string, id: string): Promise<T> {
    this.served(resourceType);
    const isUser = this.access.fhirUser === `${resourceType}/${id}`;
    const context = isUser ? "user" : this.require(resourceType, "r");
    const resource = this.store.peek(resourceType, id);
    if (!resource) throw fail(notFound, `${resourceType}/${id} not found`);
    if (context === "patient" && !this.compartment.visible(resource)) {
      throw fail(forbidden, `${resourceType}/${id} is outside the launch patient's compartment (Patient/${this.access.patientId}).`);
    }
    return deepClone(resource) as T;
  }

  async readReference(reference: { reference?: string }): Promise<any> {
    const [type, id, ...rest] = (reference.reference ?? "").split("/");
    if (!type || !id || rest.length) throw fail(badRequest(""), `Invalid reference "${reference.reference}"`);
    return this.readResource(type, id);
  }

  async readReferences(references: readonly { reference?: string }[]): Promise<any[]> {
    return Promise.all(references.map((r) => this.readReference(r).catch((e: unknown) => e)));
  }

  /** A search by the client: needs the `s` permission. */
  async search(search: SearchRequest): Promise<any> {
    this.served(search.resourceType);
    return this.find(search, this.require(search.resourceType, "s"));
  }

  /**
   * Medplum calls searchResources (not search) for its own look-ups: the If-None-Exist query of a
   * conditional create, in single requests and in bundles. An app allowed to create a type but not
   * to search it may still create conditionally, so this asks for `s` or, failing that, `c`;
   * results stay inside the compartment either way.
   */
  override async searchResources(search: SearchRequest): Promise<any[]> {
    const type = search.resourceType;
    this.served(type);
    const context = grantContext(this.access.scopes, type, "s") ?? this.require(type, "c");
    const bundle = this.find(search, context);
    return (bundle.entry ?? []).map((e) => e.resource);
  }

  // Interactions the sandbox does not offer (the CapabilityStatement does not list them).
  async readHistory(): Promise<any> {
    throw notSupported("History is not supported by this server.");
  }
  async readVersion(): Promise<any> {
    throw notSupported("vread is not supported by this server.");
  }
  override async conditionalUpdate(): Promise<any> {
    throw notSupported("Conditional update is not supported by this server (PUT <type>/<id> is).");
  }
  async deleteResource(): Promise<void> {
    throw notSupported("Delete is not supported by this server.");
  }
  async patchResource(): Promise<any> {
    throw notSupported("Patch is not supported by this server.");
  }
  async searchByReference(): Promise<any> {
    throw notSupported("Not supported by this server.");
  }

  private find(input: SearchRequest, context: "user" | "patient"): Bundle<Resource> {
    const type = input.resourceType;
    const search = normaliseSearch(input);
    let window;
    try {
      window = pageWindow(search.count, search.offset, this.policy.paging);
    } catch (e) {
      throw fail(badRequest(""), (e as Error).message);
    }
    let restriction: Restriction | undefined;
    if (context === "patient") {
      this.compartment.refuseOtherPatients(search);
      if (!this.compartment.impliesCompartment(search)) restriction = this.compartment.restriction(type);
    }
    const all = this.byIds(search, restriction) ?? this.store.matchAll(search, restriction);
    return {
      resourceType: "Bundle",
      type: "searchset",
      total: all.length,
      entry: all.slice(window.offset, window.offset + window.count).map((r) => ({
        fullUrl: `${this.policy.fhirBase}/${r.resourceType}/${r.id}`,
        resource: deepClone(r),
        search: { mode: "match" },
      })),
    };
  }

  /**
   * `_id=a,b,c` alone (how a client checks which of its resources exist, e.g. npm run load-demo):
   * looks the ids up instead of testing every stored resource of the type, which for the large
   * patient's 5,800 Observations made each such search cost ~150 ms. Same answer, in the order the
   * ids are listed. undefined for any other search.
   */
  private byIds(search: SearchRequest, restriction: Restriction | undefined): Resource[] | undefined {
    const [filter, ...others] = search.filters ?? [];
    if (!filter || others.length || filter.code !== "_id" || filter.operator !== Operator.EQUALS || search.sortRules?.length)
      return undefined;
    const found = [...new Set(splitSearchOnComma(filter.value))].map((id) => this.store.peek(search.resourceType, id));
    return found.filter((r): r is Resource => !!r && (!restriction || restriction.test(r)));
  }

  private served(type: string): void {
    if (!this.policy.servedTypes.has(type)) throw fail(notFound, `Resource type ${type} is not supported by this server.`);
  }

  /** The scope context granting `permission` on `type`, or a 403 naming the missing scope. */
  private require(type: string, permission: Permission): "user" | "patient" {
    const context = grantContext(this.access.scopes, type, permission);
    if (!context) throw fail(forbidden, missingScopeText(type, permission));
    if (context === "patient" && !this.access.patientId) {
      throw fail(forbidden, `patient/ scopes need a patient in context (launch or launch/patient), and this token has none.`);
    }
    return context;
  }
}
