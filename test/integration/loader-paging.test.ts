import { describe, expect, it } from "vitest";
import {
  BASE,
  resetEhr,
  CALCIUM,
  record,
  load,
  ids,
  progressOf,
  searchRequests,
  groupOf,
  calciumKey,
  useFakeEhr,
} from "./helpers/fake-ehr";

useFakeEhr();

describe("the loader follows next links to the end, and stops where it must", () => {
  it("follows a server that ignores _count to the end", async () => {
    resetEhr(record({ conditions: 30, calcium: 40 }), { fixedPageSize: 7 });
    const { result } = await load();

    expect(progressOf(result, "Condition")).toMatchObject({ state: "done", pages: 5, resources: 30 });
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "done", pages: 6, resources: 40 });
    expect(ids(result, "Condition")).toHaveLength(30);
    expect(result.unavailable).toEqual([]);
  });

  it("stops a looping next link and reports the data as truncated", async () => {
    resetEhr(record({ studies: 9 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type, page, url }) => {
        if (type === "ImagingStudy" && page === 1) {
          // Page 2's next link points at page 2 again.
          bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: url.href } : l));
        }
        return bundle;
      },
    });
    const { result } = await load();

    const studies = progressOf(result, "ImagingStudy");
    expect(studies.state).toBe("truncated");
    expect(studies.truncatedReason).toMatch(/loops/);
    expect(studies).toMatchObject({ pages: 2, resources: 6 });
    expect(searchRequests("ImagingStudy")).toHaveLength(2);
    expect(result.unavailable).toEqual([
      { resourceType: "ImagingStudy", reason: "truncated", label: "Imaging studies", message: expect.stringMatching(/loops/) },
    ]);
    expect(progressOf(result, "Condition").state).toBe("done");
  });

  it("stops a next link that leads back to the first page", async () => {
    let first: string | undefined;
    resetEhr(record({ conditions: 9 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type, page, url }) => {
        if (type === "Condition" && page === 0) first = url.href;
        if (type === "Condition" && page === 1) {
          bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: first! } : l));
        }
        return bundle;
      },
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "truncated", pages: 2, resources: 6, requests: 2 });
    expect(result.unavailable).toEqual([expect.objectContaining({ resourceType: "Condition", reason: "truncated" })]);
  });

  it("stops at the page cap and says so", async () => {
    resetEhr(record({ calcium: 100 }), { maxPageSize: 10 });
    const { result } = await load({ maxPages: 4 });

    const calcium = progressOf(result, calciumKey());
    expect(calcium).toMatchObject({ state: "truncated", pages: 4, resources: 40, total: 100 });
    expect(calcium.truncatedReason).toMatch(/page cap of 4/);
    expect(result.unavailable).toEqual([
      { resourceType: "Observation", group: groupOf(CALCIUM), reason: "truncated", message: expect.stringMatching(/page cap/) },
    ]);
    // Newest first: what the cap kept is the most recent 40 days.
    expect(ids(result, "Observation").filter((r) => r.startsWith("Observation/ca-"))).toHaveLength(40);
  });

  it("uses the page cap from the EHR's quirks", async () => {
    resetEhr(record({ calcium: 100 }), { maxPageSize: 10 });
    const { result } = await load({ quirks: { maxPages: 2 } });
    expect(progressOf(result, calciumKey())).toMatchObject({ state: "truncated", pages: 2, resources: 20 });
  });

  it("never follows a next link to another origin (the token stays with the EHR)", async () => {
    resetEhr(record({ conditions: 6 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type }) => {
        if (type === "Condition") {
          bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: l.url.replace("ehr.test", "elsewhere.test") } : l));
        }
        return bundle;
      },
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "truncated", pages: 1, resources: 3 });
    expect(progressOf(result, "Condition").truncatedReason).toMatch(/outside its FHIR base/);
  });

  it.each([
    ["another tenant on the same host", (url: string) => url.replace("/fhir/", "/other-tenant/fhir/")],
    ["a path that climbs out of the base", (url: string) => url.replace("/fhir/Condition", "/fhir/../x/Condition")],
  ])("never follows a next link to %s (the token stays under the FHIR base)", async (_name, bend) => {
    resetEhr(record({ conditions: 6 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type }) => {
        if (type === "Condition") bundle.link = bundle.link.map((l) => (l.relation === "next" ? { ...l, url: bend(l.url) } : l));
        return bundle;
      },
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "truncated", pages: 1, resources: 3 });
    expect(searchRequests("Condition")).toHaveLength(1);
    expect(result.unavailable).toEqual([expect.objectContaining({ resourceType: "Condition", reason: "truncated" })]);
  });

  it("follows a HAPI-style next link on the base itself (base?_getpages=…)", async () => {
    resetEhr(record({ conditions: 6 }), {
      maxPageSize: 3,
      rewrite: (bundle, { type }) => {
        if (type === "Condition") {
          bundle.link = bundle.link.map((l) =>
            l.relation === "next" ? { ...l, url: `${BASE}?_getpages=${encodeURIComponent(l.url)}` } : l,
          );
        }
        return bundle;
      },
    });
    const { result } = await load();
    expect(progressOf(result, "Condition")).toMatchObject({ state: "done", pages: 2, resources: 6 });
  });
});
