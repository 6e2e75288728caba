/**
 * The loader's parts on their own: quirks, search plan, retry policy, patient-compartment check,
 * request queue and capabilities summary. The end-to-end behaviour is in loader.test.ts.
 */
import { describe, expect, it } from "vitest";
import { LAB_LOINC, OBSERVATION_CODE_GROUPS } from "../../src/clinical/codes";
import { summarizeCapabilities } from "../../src/fhir/capabilities";
import { belongsToPatient, pageContent, referencesPatient } from "../../src/fhir/compartment";
import {
  FhirHttpError,
  FhirMalformedError,
  FhirNetworkError,
  FhirTimeoutError,
  OutsideFhirBaseError,
  SessionExpiredError,
  parseRetryAfter,
} from "../../src/fhir/errors";
import { classifyError } from "../../src/fhir/failures";
import { RequestLimiter } from "../../src/fhir/limiter";
import { continuationPriority, PRIORITY } from "../../src/fhir/priority";
import { parseQuirks, QUIRK_DEFAULTS, resolveQuirks } from "../../src/fhir/quirks";
import { DEFAULT_RETRY_POLICY, retryDelay } from "../../src/fhir/retry";
import { buildSearchPlan, observationParts, REPORT_CATEGORIES } from "../../src/fhir/searchPlan";

describe("quirks", () => {
  it("defaults to a well-behaved server", () => {
    expect(resolveQuirks(undefined)).toEqual({
      observationCategory: undefined,
      maxPageSize: 1000,
      noSort: false,
      maxPages: 50,
      documentLookbackYears: 10,
      maxDocuments: 500,
    });
    expect(resolveQuirks({})).toEqual(QUIRK_DEFAULTS);
  });

  it("validates a config entry, keeping good values and naming bad ones", () => {
    const { quirks, problems } = parseQuirks({ observationCategory: "laboratory", maxPageSize: 0, noSort: "yes", maxPages: 20, extra: 1 });
    expect(quirks).toEqual({ observationCategory: "laboratory", maxPages: 20 });
    expect(problems).toEqual([
      "quirks.maxPageSize must be a positive integer",
      "quirks.noSort must be true or false",
      'unknown quirk "extra" ignored',
    ]);
    expect(parseQuirks([]).problems).toEqual(["quirks must be an object"]);
    expect(resolveQuirks({ maxPageSize: -5 } as never).maxPageSize).toBe(1000);
  });
});

describe("search plan", () => {
  const groups = OBSERVATION_CODE_GROUPS;

  it("has one read, one search per type and Observation searches per group, routine analytes apart", () => {
    const plan = buildSearchPlan("p 1", { observationGroups: groups, quirks: resolveQuirks({}), pageSize: 1000, today: "2026-11-21" });
    expect(plan[0]).toMatchObject({ key: "Patient", kind: "read", url: "Patient/p%201" });
    const kidney = groups.find((g) => g.key === "kidney")!;
    // The routine analytes each have their own search; the rest of a group stays together.
    expect(plan.map((s) => s.key)).toEqual([
      "Patient",
      "Condition",
      "DiagnosticReport",
      "ImagingStudy",
      "DocumentReference",
      "Procedure",
      "MedicationRequest",
      "Observation:calcium-phosphate:calcium",
      "Observation:calcium-phosphate:phosphate",
      "Observation:calcium-phosphate:other",
      "Observation:albumin",
      "Observation:pth-vitamin-d",
      "Observation:kidney:creatinine",
      "Observation:kidney:egfr",
      "Observation:antibodies",
      "Observation:lesions",
      "Observation:panels",
    ]);
    expect(plan.find((s) => s.key === "Observation:calcium-phosphate:other")!.label).toBe(
      "Labs: Calcium (ionised), Calcium (albumin-corrected)",
    );
    const creatinine = plan.find((s) => s.key === "Observation:kidney:creatinine")!;
    // Encoded whole but for the OR commas: no "//" for a proxy to normalise (SMART launcher).
    const creatinineCodes = LAB_LOINC.creatinine.map((c) => `http%3A%2F%2Floinc.org%7C${c}`);
    expect(creatinine).toMatchObject({ group: "kidney", label: "Labs: Creatinine" });
    expect(creatinine.url).toBe(`Observation?patient=p%201&code=${creatinineCodes.join(",")}&_count=1000&_sort=-date`);
    expect(creatinine.urlWithoutSort).toBe(`Observation?patient=p%201&code=${creatinineCodes.join(",")}&_count=1000`);
    const groupPlan = buildSearchPlan("p1", {
      observationGroups: groups,
      quirks: resolveQuirks({}),
      pageSize: 1000,
      split: "group",
      today: "2026-11-21",
    });
    expect(groupPlan.find((s) => s.key === "Observation:kidney")!.url).toContain(`code=${kidney.codes.map(encodeURIComponent).join(",")}&`);
    for (const spec of plan) expect(spec.url).not.toMatch(/\/\//);
    const reports = plan.find((s) => s.key === "DiagnosticReport")!;
    expect(reports.url).toContain(`category=${REPORT_CATEGORIES.join(",")}`);
    expect(REPORT_CATEGORIES).toEqual(expect.arrayContaining(["RAD", "LP29684-5", "PAT", "SP"]));
    expect(plan.find((s) => s.key === "ImagingStudy")!.url).toContain("_sort=-started");
  });

  it("covers every Observation code of codes.ts exactly once", () => {
    const plan = buildSearchPlan("p1", { observationGroups: groups, quirks: resolveQuirks({}), pageSize: 1000, today: "2026-11-21" });
    const searched = plan
      .filter((s) => s.resourceType === "Observation")
      .flatMap((s) => new URL(s.url, "https://x/").searchParams.get("code")!.split(","));
    expect(searched.sort()).toEqual(groups.flatMap((g) => g.codes).sort());
    expect(new Set(searched).size).toBe(searched.length);
  });

  it("queues what the first assessment needs first, then the long chains, then the small searches", () => {
    const plan = buildSearchPlan("p1", { observationGroups: groups, quirks: resolveQuirks({}), pageSize: 1000, today: "2026-11-21" });
    const priority = (key: string) => plan.find((s) => s.key === key)!.firstPagePriority;
    for (const key of ["Patient", "Condition", "DiagnosticReport", "ImagingStudy"]) expect(priority(key)).toBe(PRIORITY.context);
    expect(priority("Observation:kidney:egfr")).toBe(PRIORITY.highVolumeFirstPage);
    expect(priority("Observation:calcium-phosphate:calcium")).toBe(PRIORITY.highVolumeFirstPage);
    expect(priority("Observation:albumin")).toBe(PRIORITY.highVolumeFirstPage);
    expect(priority("Observation:pth-vitamin-d")).toBe(PRIORITY.otherFirstPage);
    expect(priority("Observation:calcium-phosphate:other")).toBe(PRIORITY.otherFirstPage);
    expect(priority("Observation:antibodies")).toBe(PRIORITY.otherFirstPage);
    // Next pages: longer remaining chains first, all before the small searches' first pages.
    expect(continuationPriority(12)).toBeLessThan(continuationPriority(2));
    expect(continuationPriority(undefined)).toBeLessThan(continuationPriority(100));
    expect(continuationPriority(1)).toBeLessThan(PRIORITY.otherFirstPage);
    expect(continuationPriority(100)).toBeGreaterThan(PRIORITY.highVolumeFirstPage);
    expect(PRIORITY.capabilities).toBeGreaterThan(PRIORITY.otherFirstPage);
  });

  it("splits a group by analyte without losing a code the analytes do not claim", () => {
    const parts = observationParts(
      {
        key: "g",
        label: "G",
        labs: ["calcium", "albumin"],
        codes: ["http://loinc.org|17861-6", "http://loinc.org|1751-7", "http://loinc.org|9999-9"],
      },
      "analyte",
    );
    expect(parts).toEqual([
      { key: "Observation:g:calcium", label: "Labs: Calcium (total)", codes: ["http://loinc.org|17861-6"], labs: ["calcium"] },
      { key: "Observation:g:albumin", label: "Labs: Albumin", codes: ["http://loinc.org|1751-7"], labs: ["albumin"] },
      { key: "Observation:g:other", label: "G", codes: ["http://loinc.org|9999-9"], labs: [] },
    ]);
  });

  it("follows the quirks: category, smaller pages, no _sort", () => {
    const quirks = resolveQuirks({ observationCategory: "laboratory", maxPageSize: 200, noSort: true });
    const plan = buildSearchPlan("p1", {
      observationGroups: [
        { key: "a", label: "A", codes: ["http://loinc.org|1-8"] },
        { key: "b", label: "B", codes: ["x|y"], category: "imaging" },
      ],
      quirks,
      pageSize: 1000,
      today: "2026-11-21",
    });
    const a = new URL(plan.find((s) => s.group === "a")!.url, "https://x/").searchParams;
    expect(a.get("category")).toBe("laboratory");
    expect(a.get("_count")).toBe("200");
    expect(a.has("_sort")).toBe(false);
    expect(new URL(plan.find((s) => s.group === "b")!.url, "https://x/").searchParams.get("category")).toBe("imaging");
    expect(plan.every((s) => s.urlWithoutSort === undefined)).toBe(true);
  });
});

describe("retry policy", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, baseDelayMs: 400, maxDelayMs: 1000, maxRetryAfterMs: 10_000 };

  it("retries only what may pass next time", () => {
    for (const kind of ["forbidden", "not-found", "malformed", "bad-request", "session-expired"] as const) {
      expect(retryDelay({ kind, message: "" }, 0, policy)).toBeNull();
    }
    expect(retryDelay({ kind: "server-error", message: "" }, 0, policy, () => 0)).toBe(200);
    expect(retryDelay({ kind: "network", message: "" }, 1, policy, () => 1)).toBe(800);
    expect(retryDelay({ kind: "server-error", message: "" }, 2, policy, () => 1)).toBe(1000); // capped
    expect(retryDelay({ kind: "server-error", message: "" }, 3, policy)).toBeNull(); // bounded
  });

  it("follows Retry-After on 429 and 503, up to a limit", () => {
    expect(retryDelay({ kind: "rate-limited", httpStatus: 429, retryAfterMs: 3000, message: "" }, 0, policy)).toBe(3000);
    expect(retryDelay({ kind: "server-error", httpStatus: 503, retryAfterMs: 1000, message: "" }, 0, policy)).toBe(1000);
    expect(retryDelay({ kind: "rate-limited", httpStatus: 429, retryAfterMs: 60_000, message: "" }, 0, policy)).toBeNull();
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("5", now)).toBe(5000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("classifies the transport's errors", () => {
    const line = { method: "GET", url: "https://ehr/fhir/x" };
    const http = (status: number, retryAfterMs?: number) => new FhirHttpError(line, status, "", null, "", retryAfterMs);
    expect(classifyError(new SessionExpiredError()).kind).toBe("session-expired");
    expect(classifyError(http(401)).kind).toBe("session-expired");
    expect(classifyError(http(403))).toMatchObject({ kind: "forbidden", httpStatus: 403 });
    expect(classifyError(http(404))).toMatchObject({ kind: "not-found", httpStatus: 404 });
    expect(classifyError(http(429, 2000))).toMatchObject({ kind: "rate-limited", retryAfterMs: 2000 });
    expect(classifyError(http(503))).toMatchObject({ kind: "server-error", httpStatus: 503 });
    expect(classifyError(http(422)).kind).toBe("bad-request");
    expect(classifyError(new FhirMalformedError(line, "broken")).kind).toBe("malformed");
    expect(classifyError(new FhirTimeoutError(line, 20_000)).kind).toBe("timeout");
    expect(classifyError(new FhirNetworkError(line)).kind).toBe("network");
    expect(classifyError(new OutsideFhirBaseError("https://other/fhir")).kind).toBe("outside-base");
  });
});

const BASE = "https://ehr/fhir";

describe("patient compartment", () => {
  it("recognises references to the patient in their usual forms", () => {
    expect(referencesPatient({ reference: "Patient/p1" }, "p1", BASE)).toBe(true);
    expect(referencesPatient({ reference: "https://ehr/fhir/Patient/p1" }, "p1", BASE)).toBe(true);
    // Another server's patient of the same id is another person; so is another tenant on this host.
    expect(referencesPatient({ reference: "https://other.example/fhir/Patient/p1" }, "p1", BASE)).toBe(false);
    expect(referencesPatient({ reference: "https://ehr/other-tenant/fhir/Patient/p1" }, "p1", BASE)).toBe(false);
    expect(referencesPatient({ reference: "https://ehr/fhir/../Patient/p1" }, "p1", BASE)).toBe(false);
    expect(referencesPatient({ reference: "Patient/p1/_history/2" }, "p1", BASE)).toBe(true);
    expect(referencesPatient({ reference: "Patient/p10" }, "p1", BASE)).toBe(false);
    expect(referencesPatient({ reference: "Group/p1" }, "p1", BASE)).toBe(false);
    expect(referencesPatient({ reference: "x/Patient/p1" }, "p1", BASE)).toBe(false);
    expect(referencesPatient({ reference: "#p1" }, "p1", BASE)).toBe(false);
    expect(referencesPatient(undefined, "p1", BASE)).toBe(false);
  });

  it("checks Patient by id and other types by subject (or DSTU2 patient)", () => {
    expect(belongsToPatient({ resourceType: "Patient", id: "p1" }, "p1", BASE)).toBe(true);
    expect(belongsToPatient({ resourceType: "Patient", id: "p2" }, "p1", BASE)).toBe(false);
    expect(belongsToPatient({ resourceType: "Condition", patient: { reference: "Patient/p1" } }, "p1", BASE)).toBe(true);
    expect(belongsToPatient({ resourceType: "Observation" }, "p1", BASE)).toBe(false);
  });

  it("keeps only matches of the searched type", () => {
    const content = pageContent(
      {
        resourceType: "Bundle",
        entry: [
          { resource: { resourceType: "Observation", id: "a", subject: { reference: "Patient/p1" } } },
          { resource: { resourceType: "Observation", id: "b", subject: { reference: "Patient/p2" } }, search: { mode: "match" } },
          { resource: { resourceType: "OperationOutcome" }, search: { mode: "outcome" } },
          { resource: { resourceType: "Observation", id: "c", subject: { reference: "Patient/p1" } }, search: { mode: "include" } },
          { resource: { resourceType: "Practitioner", id: "d" } },
          {},
        ],
      },
      "Observation",
      "p1",
      BASE,
    );
    expect(content.kept.map((r) => r.id)).toEqual(["a"]);
    expect(content.strays).toEqual(["Observation/b"]);
    expect(content.skipped).toBe(4);
  });
});

describe("request queue", () => {
  it("bounds concurrency and serves lower priority numbers first", async () => {
    const limiter = new RequestLimiter(2);
    const order: string[] = [];
    const gates: (() => void)[] = [];
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        order.push(name);
        gates.push(resolve);
      });
    const all = [
      limiter.run(0, task("a")),
      limiter.run(0, task("b")),
      limiter.run(1.5, task("long-chain-later")),
      limiter.run(1.9, task("short-chain")),
      limiter.run(0, task("first-page")),
    ];
    await Promise.resolve();
    expect(order).toEqual(["a", "b"]);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all(all);
    expect(order).toEqual(["a", "b", "first-page", "long-chain-later", "short-chain"]);
    expect(limiter.maxActive).toBe(2);
  });

  it("drops queued tasks when the load aborts", async () => {
    const controller = new AbortController();
    const limiter = new RequestLimiter(1, controller.signal);
    let release!: () => void;
    const running = limiter.run(0, () => new Promise<void>((r) => (release = r)));
    let ran = false;
    const queued = limiter.run(0, async () => void (ran = true));
    await Promise.resolve();
    expect(release).toBeTypeOf("function"); // the first task runs, the second waits
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: "AbortError" });
    release();
    await running;
    expect(ran).toBe(false);
  });
});

describe("capabilities", () => {
  it("summarises what write-back needs", () => {
    expect(
      summarizeCapabilities({
        resourceType: "CapabilityStatement",
        fhirVersion: "4.0.1",
        rest: [
          { mode: "client", interaction: [{ code: "batch" }] },
          {
            mode: "server",
            interaction: [{ code: "batch" }, { code: "search-system" }],
            resource: [{ type: "Condition", interaction: [{ code: "create" }, { code: "read" }] }],
          },
        ],
      }),
    ).toEqual({
      fhirVersion: "4.0.1",
      transaction: false,
      batch: true,
      resources: { Condition: { interactions: ["create", "read"], conditionalCreate: false, searchParams: [] } },
    });
    expect(summarizeCapabilities({ resourceType: "Bundle" })).toBeNull();
  });
});
