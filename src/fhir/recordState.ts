import type { FhirResourceLike, PageContent } from "./compartment";
import type { SearchOutcome } from "./paging";
import type { SearchSpec } from "./searchPlan";
import type { CapabilitySummary, LoadSnapshot, SearchProgress } from "./types";
import type { AttachmentText, UnavailableData } from "../clinical/types";
import type { AttachmentProgress } from "./attachments";

type Resource = LoadSnapshot["resources"][number];

/** The record being assembled, and the progress of each search. */
export class RecordState {
  private readonly resources: Resource[] = [];
  /** The copy handed out last, while no resource has been added since: snapshots share it, so a
   * screen can tell an unchanged record by identity (the UI skips work on it). */
  private handedOut: Resource[] | null = null;
  private readonly seen = new Set<string>();
  private readonly strays = new Set<string>();
  private readonly progress = new Map<string, SearchProgress>();
  capabilities: CapabilitySummary | null | undefined = undefined;
  /** The attachments of the reports and notes (fhir/attachments.ts). */
  attachments: { texts(): AttachmentText[]; progress(): AttachmentProgress } | null = null;

  constructor(
    private readonly patientId: string,
    plan: SearchSpec[],
    private readonly now: () => number,
    private readonly startedAt: number,
  ) {
    for (const spec of plan) {
      this.progress.set(spec.key, {
        key: spec.key,
        resourceType: spec.resourceType,
        label: spec.label,
        ...(spec.group ? { group: spec.group } : {}),
        state: "waiting",
        resources: 0,
        pages: 0,
        requests: 0,
        retries: 0,
        strays: 0,
      });
    }
  }

  private get(key: string): SearchProgress {
    return this.progress.get(key)!;
  }

  /** Counts a request; true when the search just started loading (worth a snapshot). */
  request(key: string): boolean {
    const p = this.get(key);
    p.requests = (p.requests ?? 0) + 1;
    if (p.state !== "waiting") return false;
    p.state = "loading";
    return true;
  }

  retry(key: string): void {
    const p = this.get(key);
    p.retries = (p.retries ?? 0) + 1;
  }

  /** Adds a page; returns the resources it added (not seen before). */
  page(key: string, content: PageContent, total: number | undefined): FhirResourceLike[] {
    const added: FhirResourceLike[] = [];
    const p = this.get(key);
    p.pages++;
    if (total !== undefined) p.total = total;
    for (const resource of content.kept) {
      // Paging over a changing result set can repeat an entry; an id seen once is not added twice.
      const id = typeof resource.id === "string" ? `${resource.resourceType}/${resource.id}` : undefined;
      if (id !== undefined) {
        if (this.seen.has(id)) continue;
        this.seen.add(id);
      }
      this.resources.push(resource as FhirResourceLike as unknown as Resource);
      this.handedOut = null;
      added.push(resource);
      p.resources++;
    }
    for (const ref of content.strays) this.strays.add(ref);
    p.strays = (p.strays ?? 0) + content.strays.length;
    return added;
  }

  finish(key: string, outcome: SearchOutcome): void {
    const p = this.get(key);
    if (outcome.state === "done") {
      p.state = "done";
      if (outcome.note) p.limitNote = outcome.note;
    } else if (outcome.state === "truncated") {
      p.state = "truncated";
      p.truncatedReason = outcome.reason;
    } else {
      p.state = "failed";
      p.failure = outcome.failure;
    }
  }

  /** A failed or truncated search goes again: back to waiting; what it loaded is kept (ids de-duplicate). */
  reset(key: string): boolean {
    const p = this.progress.get(key);
    if (!p || (p.state !== "failed" && p.state !== "truncated")) return false;
    p.state = "waiting";
    delete p.failure;
    delete p.truncatedReason;
    return true;
  }

  /** After a 401: searches still open are marked as ended by the expired session. */
  sessionExpired(): void {
    for (const p of this.progress.values()) {
      if (p.state === "waiting" || p.state === "loading") {
        p.state = "failed";
        p.failure = { kind: "session-expired", httpStatus: 401, message: "Your session with the EHR has expired." };
      }
    }
  }

  private unavailable(): UnavailableData[] {
    const out: UnavailableData[] = [];
    const listed = new Set<string>();
    for (const p of this.progress.values()) {
      if (p.state !== "failed" && p.state !== "truncated") continue;
      // A search that failed after some pages has partial data: for the engine that is truncation
      // (absence cannot be concluded), not "nothing usable".
      const partial = p.state === "truncated" || p.resources > 0;
      // Analyte searches of one group report the group once (the engine reasons per group).
      const id = `${p.resourceType}|${p.group ?? ""}|${partial}`;
      if (listed.has(id)) continue;
      listed.add(id);
      out.push({
        resourceType: p.resourceType,
        reason: partial ? "truncated" : "failed",
        ...(p.group ? { group: p.group } : { label: p.label }),
        message: p.state === "truncated" ? `${p.label}: ${p.truncatedReason}` : `${p.label}: ${p.failure?.message}`,
      });
    }
    return out;
  }

  snapshot(): LoadSnapshot {
    const progress = [...this.progress.values()].map((p) => ({ ...p, ...(p.failure ? { failure: { ...p.failure } } : {}) }));
    const requests = progress.reduce((n, p) => n + (p.requests ?? 0), 0);
    const documents = this.attachments?.progress();
    return {
      patientId: this.patientId,
      resources: (this.handedOut ??= this.resources.slice()),
      progress,
      complete:
        progress.every((p) => p.state !== "waiting" && p.state !== "loading") && (!documents || documents.settled === documents.total),
      strays: [...this.strays],
      unavailable: this.unavailable(),
      attachments: this.attachments?.texts() ?? [],
      ...(documents ? { documents } : {}),
      ...(this.capabilities !== undefined ? { capabilities: this.capabilities } : {}),
      stats: {
        requests,
        retries: progress.reduce((n, p) => n + (p.retries ?? 0), 0),
        longestChain: progress.reduce((n, p) => Math.max(n, p.requests ?? 0), 0),
        elapsedMs: this.now() - this.startedAt,
      },
    };
  }
}
