/**
 * Per-EHR search quirks, read from `public/smart-config.json` (`ehrs[].quirks`). Every field is
 * optional: an empty object means "a well-behaved R4 server". The config loader owns the JSON; this
 * module owns what the fields mean and their defaults, so the loader and the config agree.
 */
export interface EhrQuirks {
  /**
   * Add `category=<value>` to every Observation search. Some EHRs (Epic among them) refuse a
   * code-only Observation search and answer 400 unless a category is given; labs and antibody
   * results are `laboratory`. Default: no category parameter (a category would hide results the
   * EHR files under another category).
   */
  observationCategory?: string;
  /**
   * Largest `_count` the EHR accepts. The loader asks for `DEFAULT_PAGE_SIZE` (1000) to keep paging
   * chains short; an EHR that rejects large values (rather than capping them) needs this lowered.
   * Default: `DEFAULT_PAGE_SIZE`.
   */
  maxPageSize?: number;
  /**
   * Leave `_sort` out of every search. Sorting newest-first means that, when a page cap stops a
   * search, what is missing is the oldest data, which the rules (12/24-month lookbacks) need least.
   * An EHR that rejects `_sort` answers 400; the loader then retries once without it, so this only
   * saves that round trip. Default: false.
   */
  noSort?: boolean;
  /**
   * Page cap per search (each Observation analyte group is its own search). When the cap stops a
   * search while a `next` link remains, the data are reported as truncated. Default:
   * `DEFAULT_MAX_PAGES` (50).
   */
  maxPages?: number;
  /** Clinical notes older than this many years are not searched. Default 10. */
  documentLookbackYears?: number;
  /** At most this many notes (the most recent) are read. Default 500. */
  maxDocuments?: number;
}

/** `_count` requested when the EHR sets no lower limit. */
export const DEFAULT_PAGE_SIZE = 1000;
/** Pages per search before the loader stops and reports truncation. */
export const DEFAULT_MAX_PAGES = 50;

export interface ResolvedQuirks {
  observationCategory: string | undefined;
  maxPageSize: number;
  noSort: boolean;
  maxPages: number;
  documentLookbackYears: number;
  maxDocuments: number;
}

export const QUIRK_DEFAULTS: ResolvedQuirks = Object.freeze({
  observationCategory: undefined,
  maxPageSize: DEFAULT_PAGE_SIZE,
  noSort: false,
  maxPages: DEFAULT_MAX_PAGES,
  documentLookbackYears: 10,
  maxDocuments: 500,
});

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Fills in the defaults; ignores values of the wrong type (`parseQuirks` reports them). */
export function resolveQuirks(quirks: EhrQuirks | undefined): ResolvedQuirks {
  const q = quirks ?? {};
  const category =
    typeof q.observationCategory === "string" && q.observationCategory.trim() !== "" ? q.observationCategory.trim() : undefined;
  return {
    observationCategory: category,
    maxPageSize: positiveInt(q.maxPageSize) ?? QUIRK_DEFAULTS.maxPageSize,
    noSort: q.noSort === true,
    maxPages: positiveInt(q.maxPages) ?? QUIRK_DEFAULTS.maxPages,
    documentLookbackYears: positiveInt(q.documentLookbackYears) ?? QUIRK_DEFAULTS.documentLookbackYears,
    maxDocuments: positiveInt(q.maxDocuments) ?? QUIRK_DEFAULTS.maxDocuments,
  };
}

/**
 * Validates the `quirks` object of one config entry. Unknown keys are reported but do not fail, so a
 * config written for a newer build still loads; a value of the wrong type is dropped and reported.
 */
export function parseQuirks(value: unknown): { quirks: EhrQuirks; problems: string[] } {
  const problems: string[] = [];
  const quirks: EhrQuirks = {};
  if (value === undefined || value === null) return { quirks, problems };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { quirks, problems: ["quirks must be an object"] };
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    switch (key) {
      case "observationCategory":
        if (typeof v === "string" && v.trim() !== "") quirks.observationCategory = v.trim();
        else problems.push("quirks.observationCategory must be a non-empty string");
        break;
      case "maxPageSize":
      case "maxPages":
      case "documentLookbackYears":
      case "maxDocuments":
        if (positiveInt(v) !== undefined) quirks[key] = v as number;
        else problems.push(`quirks.${key} must be a positive integer`);
        break;
      case "noSort":
        if (typeof v === "boolean") quirks.noSort = v;
        else problems.push("quirks.noSort must be true or false");
        break;
      default:
        problems.push(`unknown quirk "${key}" ignored`);
    }
  }
  return { quirks, problems };
}
