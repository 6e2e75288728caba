/** What the sandbox's in-memory search can answer, checked before a search runs. */
import { Operator, badRequest, splitSearchOnComma, type SearchRequest } from "@medplum/core";
import { searchParam } from "./definitions";
import { fail, notSupported } from "./outcomes";

/** Search parameter types Medplum's in-memory matcher implements. */
const MATCHABLE = new Set(["token", "reference", "date", "string", "uri"]);

/**
 * Checks a search against what the in-memory matcher implements, so that an unsupported search is
 * a 400 naming the problem rather than a silently empty result; and expands bare ids in reference
 * parameters (`patient=123` means `Patient/123`), which Medplum's matcher compares literally.
 */
export function normaliseSearch(search: SearchRequest): SearchRequest {
  const type = search.resourceType;
  if (search.include?.length || search.revInclude?.length) throw notSupported("_include and _revinclude are not supported by this server.");
  const filters = (search.filters ?? []).map((f) => {
    if (f.code.includes(".") || f.code === "_has") throw notSupported(`Chained search (${f.code}) is not supported by this server.`);
    const param = searchParam(type, f.code);
    if (!param) throw fail(badRequest(""), `Unknown search parameter "${f.code}" for ${type}.`);
    if (!MATCHABLE.has(param.type!))
      throw notSupported(`Search parameter "${f.code}" (type ${param.type}) is not supported by this server.`);
    if (param.type !== "reference" || f.operator !== Operator.EQUALS) return f;
    const targets = param.target ?? [];
    const value = splitSearchOnComma(f.value)
      .flatMap((v) => (v.includes("/") || v.includes(":") || targets.length === 0 ? [v] : targets.map((t) => `${t}/${v}`)))
      .join(",");
    return { ...f, value };
  });
  for (const rule of search.sortRules ?? []) {
    if (!searchParam(type, rule.code)) throw fail(badRequest(""), `Unknown sort parameter "${rule.code}" for ${type}.`);
  }
  return { ...search, filters };
}
