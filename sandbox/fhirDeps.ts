/** What the FHIR endpoint's handlers share: the store, the sessions, Medplum's router and the server's policy. */
import type { FhirRouter } from "@medplum/fhir-router";
import type { Policy } from "./access";
import type { Endpoints } from "./capabilities";
import type { Faults } from "./faults";
import type { Sessions } from "./sessions";
import type { SandboxStore } from "./store";

export interface FhirDeps {
  endpoints: Endpoints;
  store: SandboxStore;
  sessions: Sessions;
  router: FhirRouter;
  policy: Policy;
  /** Faults for requests without a token (metadata, smart-configuration): latency only. */
  globalFaults: Faults;
  /** SANDBOX_CAPABILITIES=basic: no transactions, If-None-Exist ignored. */
  basic: boolean;
  capabilityStatement(): unknown;
  /** Serialises writes, so conditional creates cannot race and a transaction can be rolled back. */
  writeLock: Mutex;
}

export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
