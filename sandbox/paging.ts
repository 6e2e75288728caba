/**
 * Search paging by `_count`/`_offset`, and the Bundle.link a FHIR server returns with each page.
 * Medplum's MemoryRepository slices by count/offset but returns no links.
 */
import type { Bundle } from "fhir/r4";

export interface PagingPolicy {
  /** Page size when the client sends no `_count`. */
  defaultPageSize: number;
  /** Larger `_count` values are capped to this (the `next` link then carries the capped value). */
  maxPageSize: number;
}

export interface PageWindow {
  count: number;
  offset: number;
}

/** Effective page size and offset; throws an Error for values that are not non-negative integers. */
export function pageWindow(count: number | undefined, offset: number | undefined, policy: PagingPolicy): PageWindow {
  for (const [name, v] of [
    ["_count", count],
    ["_offset", offset],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`${name} must be a non-negative integer`);
  }
  return { count: Math.min(count ?? policy.defaultPageSize, policy.maxPageSize), offset: offset ?? 0 };
}

/** Last value of a query parameter, as a number (NaN if not a number), or undefined if absent. */
export function numberParam(query: URLSearchParams, name: string): number | undefined {
  const all = query.getAll(name);
  if (!all.length) return undefined;
  const v = all[all.length - 1].trim();
  return /^-?\d+$/.test(v) ? Number(v) : NaN;
}

/**
 * self / first / previous / next links for one page, built from the request's own query (order
 * and repeated parameters kept) with the effective `_count` and `_offset`. `endless` always adds
 * a `next` link (fault injection).
 */
export function pageLinks(
  base: string,
  query: URLSearchParams,
  window: PageWindow,
  total: number,
  endless = false,
): NonNullable<Bundle["link"]> {
  const at = (offset: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of query) if (k !== "_count" && k !== "_offset") q.append(k, v);
    q.set("_count", String(window.count));
    if (offset > 0) q.set("_offset", String(offset));
    return `${base}?${q}`;
  };
  const links = [
    { relation: "self", url: at(window.offset) },
    { relation: "first", url: at(0) },
  ];
  if (window.offset > 0) links.push({ relation: "previous", url: at(Math.max(0, window.offset - window.count)) });
  const next = window.offset + window.count;
  // A page size of 0 (_summary=count) has no next page.
  if (window.count > 0 && (next < total || endless)) links.push({ relation: "next", url: at(next) });
  return links;
}
