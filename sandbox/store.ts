/**
 * The sandbox's FHIR store: Medplum's MemoryRepository, plus what a test EHR needs around it.
 *
 * - Search: Medplum decides what matches (matchesSearchRequest) and the sort keys come from
 *   Medplum's FHIRPath over the SearchParameter expression. What is added is speed: the ordered
 *   match list of a search is cached until the next write (paging a 5,000-result search re-ran the
 *   whole match and an O(n log n) FHIRPath sort for every page: 17 s for one `_sort=-date` page),
 *   and a cheap text test skips resources that cannot match before Medplum looks at them.
 * - A write log (/debug/writes) and rollback, for all-or-nothing transactions and /debug/reset.
 */
import {
  Operator,
  convertToSearchableDates,
  deepClone,
  evalFhirPathTyped,
  matchesSearchRequest,
  parseFhirPath,
  splitSearchOnComma,
  toTypedValue,
  type SearchRequest,
  type SortRule,
} from "@medplum/core";
import { MemoryRepository } from "@medplum/fhir-router";
import type { Resource } from "fhir/r4";
import { narrowSearchParam, searchParam } from "./definitions";

// Medplum's types come from @medplum/fhirtypes; the sandbox speaks @types/fhir. Same JSON.
export type MedplumResource = Parameters<MemoryRepository["createResource"]>[0];

interface Stored {
  resource: Resource;
  /** Lower-cased JSON, for the pre-filter; made when first needed (not at start-up). */
  text?: string;
}

export interface WriteRecord {
  resource: Resource;
  /** The version it replaced, if any (for rollback). */
  previous?: Resource;
}

/** Narrows the results of a search to what one token may see (the patient compartment). */
export interface Restriction {
  /** Distinguishes cached results, e.g. "Patient/modena-3". */
  key: string;
  /** A lower-case string every visible resource's JSON contains, if there is one. */
  needle?: string;
  test(resource: Resource): boolean;
  /** The verdict depends on other resources too: do not remember it. */
  volatile?: boolean;
}

const CACHE_SIZE = 200;
const MEMO_SIZE = 2000;

export class SandboxStore extends MemoryRepository {
  private readonly byType = new Map<string, Map<string, Stored>>();
  private readonly cache = new Map<string, { version: number; list: Resource[] }>();
  /**
   * Medplum's verdict per (filter, stored resource). Stored resources are never modified (a write
   * stores a new object), so a verdict stays true for the object's life: the app's parallel
   * searches for one patient evaluate `patient=…` once per resource, not once per search.
   */
  private readonly memo = new Map<string, WeakMap<Resource, boolean>>();
  private readonly log: WriteRecord[] = [];
  private version = 0;
  private recording = false;

  /** Loads the initial data: not logged as writes (and no extra copy: start-up speed). */
  async seed(resources: Resource[]): Promise<void> {
    for (const r of resources) this.put((await super.createResource(r as MedplumResource)) as Resource);
  }

  /** From now on, every create/update is a write (listed by /debug/writes, undone by reset). */
  startRecording(): void {
    this.recording = true;
  }

  override async createResource<T extends MedplumResource>(resource: T): Promise<any> {
    const previous = resource.id ? this.peek(resource.resourceType, resource.id) : undefined;
    const saved = (await super.createResource(resource)) as unknown as Resource;
    this.put(saved);
    if (this.recording) this.log.push({ resource: saved, previous });
    return deepClone(saved);
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.byType.get(resourceType)?.delete(id);
    this.version++;
  }

  /** The stored resource, not a copy: callers must not modify it. */
  peek(resourceType: string, id: string): Resource | undefined {
    return this.byType.get(resourceType)?.get(id)?.resource;
  }

  writes(): readonly WriteRecord[] {
    return this.log;
  }

  checkpoint(): number {
    return this.log.length;
  }

  /** Undoes every write after `checkpoint`, newest first. */
  async rollbackTo(checkpoint: number): Promise<void> {
    while (this.log.length > checkpoint) {
      const { resource, previous } = this.log.pop()!;
      if (previous) this.put((await super.createResource(previous as MedplumResource)) as Resource);
      else await this.deleteResource(resource.resourceType, resource.id!);
    }
  }

  /**
   * Every resource matching `search` (filters and sort; count/offset are the caller's), in order.
   * The array and its resources are shared with the cache: copy before handing them out.
   */
  matchAll(search: SearchRequest, restriction?: Restriction): Resource[] {
    const { resourceType } = search;
    const key = JSON.stringify([resourceType, search.filters ?? [], search.sortRules ?? [], restriction?.key ?? ""]);
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) {
      this.cache.delete(key); // keep recently used entries last (LRU)
      this.cache.set(key, hit);
      return hit.list;
    }

    for (const f of search.filters ?? []) narrowSearchParam(resourceType, f.code);
    const needles = prefilterNeedles(search);
    if (restriction?.needle) needles.push([restriction.needle]);
    const list: Resource[] = [];
    const filters = (search.filters ?? []).map((filter) => ({
      memo: this.memoFor(`${resourceType}\u0000${filter.code}\u0000${filter.operator}\u0000${filter.value}`),
      test: (r: Resource) => matchesSearchRequest(r as MedplumResource, { resourceType, filters: [filter] }),
    }));
    if (restriction) {
      const memo = restriction.volatile
        ? new WeakMap<Resource, boolean>()
        : this.memoFor(`${resourceType}\u0000restriction\u0000${restriction.key}`);
      filters.push({ memo, test: restriction.test });
    }
    for (const stored of this.byType.get(resourceType)?.values() ?? []) {
      const { resource } = stored;
      if (needles.length) {
        const text = (stored.text ??= JSON.stringify(resource).toLowerCase());
        if (!needles.every((alternatives) => alternatives.some((n) => text.includes(n)))) continue;
      }
      // Same as matchesSearchRequest(resource, search): every filter must match.
      if (filters.every(({ memo, test }) => memo.get(resource) ?? remember(memo, resource, test(resource)))) list.push(resource);
    }
    sortResources(list, resourceType, search.sortRules);

    this.cache.set(key, { version: this.version, list });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return list;
  }

  private memoFor(key: string): WeakMap<Resource, boolean> {
    let memo = this.memo.get(key);
    if (!memo) {
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      this.memo.set(key, (memo = new WeakMap()));
    }
    return memo;
  }

  private put(resource: Resource): void {
    let map = this.byType.get(resource.resourceType);
    if (!map) this.byType.set(resource.resourceType, (map = new Map()));
    map.set(resource.id!, { resource });
    this.version++;
  }
}

function remember(memo: WeakMap<Resource, boolean>, resource: Resource, verdict: boolean): boolean {
  memo.set(resource, verdict);
  return verdict;
}

/**
 * For each token/reference filter with plain equality, the lower-case strings one of which must
 * appear in a matching resource's JSON (a code, an identifier value, a reference). Medplum compares
 * these values case-insensitively (tokens) or exactly (references), so a resource whose JSON lacks
 * all of them cannot match: skipping it is safe. Values JSON would escape are not used.
 */
function prefilterNeedles(search: SearchRequest): string[][] {
  const out: string[][] = [];
  for (const filter of search.filters ?? []) {
    if (filter.operator !== Operator.EQUALS) continue;
    const type = searchParam(search.resourceType, filter.code)?.type;
    if (type !== "token" && type !== "reference") continue;
    const alternatives: string[] = [];
    for (const value of splitSearchOnComma(filter.value)) {
      let needle = value;
      if (type === "token" && value.includes("|")) {
        const [system, code] = value.split("|");
        needle = code || system;
      }
      needle = needle.toLowerCase();
      // eslint-disable-next-line no-control-regex -- control characters are what this refuses
      if (!needle || /["\\\u0000-\u001f]/.test(needle)) {
        alternatives.length = 0;
        break;
      }
      alternatives.push(needle);
    }
    if (alternatives.length) out.push(alternatives);
  }
  return out;
}

/**
 * Sorts like Medplum's MemoryRepository (the value of the SearchParameter's FHIRPath expression),
 * with each key computed once instead of once per comparison. Dates compare as instants (earliest
 * start), other values by their JSON; resources without a value go last; ties keep store order,
 * so paging is stable.
 */
function sortResources(list: Resource[], resourceType: string, rules: SortRule[] | undefined): void {
  if (!rules?.length) return;
  const extractors = rules.map((rule) => {
    narrowSearchParam(resourceType, rule.code);
    const param = searchParam(resourceType, rule.code);
    const ast = param?.expression ? parseFhirPath(param.expression) : undefined;
    return (r: Resource): string | undefined => {
      if (!ast) return undefined;
      const values = evalFhirPathTyped(ast, [toTypedValue(r as MedplumResource)]);
      if (!values.length) return undefined;
      if (param!.type === "date") {
        const starts = convertToSearchableDates(values)
          .map((p) => p.start ?? p.end)
          .filter((s): s is string => !!s);
        return starts.sort()[0];
      }
      return JSON.stringify(values.map((v) => v.value));
    };
  });
  const keyed = list.map((resource, index) => ({ resource, index, keys: extractors.map((f) => f(resource)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < rules.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * (rules[i].descending ? -1 : 1);
    }
    return a.index - b.index;
  });
  keyed.forEach((k, i) => (list[i] = k.resource));
}
