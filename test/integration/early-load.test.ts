import { describe, expect, it } from "vitest";
import type { LoadSnapshot } from "../../src/fhir/types";
import { startEarlyLoad } from "../../src/ui/record/earlyLoad";
import { createFhirClient } from "./helpers/fhir-client";
import { BASE, PATIENT, ehr, ids, record, resetEhr, useFakeEhr } from "./helpers/fake-ehr";

useFakeEhr();

const client = () => createFhirClient({ serverUrl: BASE, patientId: PATIENT });
const noSleep = { sleep: async () => undefined };

describe("the record load started with the session, before the screen mounts (issue 13)", () => {
  it("requests before anyone takes it, then hands the same load over with its latest snapshot", async () => {
    resetEhr(record());
    const c = client();
    const early = startEarlyLoad(c, noSleep);
    // The loader's first requests leave without the screen: wait until the EHR has answered some.
    await expect.poll(() => ehr.answered).toBeGreaterThan(0);

    const seen: LoadSnapshot[] = [];
    const handle = early.start(c, { signal: new AbortController().signal }, (s) => seen.push(s));
    // The snapshot so far is replayed at once, so the screen does not wait for the next page.
    expect(seen.length).toBeGreaterThan(0);
    const final = await handle.finished;
    expect(ids(final)).toEqual(ehr.resources.map((r) => `${r.resourceType}/${r.id}`).sort());
    // One load: every search ran once, not once early and again for the screen.
    const searches = ehr.log.map((l) => l.url.href);
    expect(new Set(searches).size).toBe(searches.length);
    expect(seen.at(-1)?.resources.length).toBe(final.resources.length);
  });

  it("a second start (a retry of the whole record) is a new load, and the screen's signal stops the taken one", async () => {
    resetEhr(record(), { latencyMs: 20 });
    const c = client();
    const early = startEarlyLoad(c, noSleep);
    const screen = new AbortController();
    const taken = early.start(c, { signal: screen.signal }, () => {});
    screen.abort(new DOMException("closed", "AbortError"));
    await expect(taken.finished).rejects.toMatchObject({ name: "AbortError" });

    const before = ehr.log.length;
    const again = early.start(c, { ...noSleep, signal: new AbortController().signal }, () => {});
    expect(again).not.toBe(taken);
    await again.finished;
    expect(ehr.log.length).toBeGreaterThan(before);
  });

  it("abort() stops a load nobody took (the session ended first)", async () => {
    resetEhr(record(), { latencyMs: 20 });
    const c = client();
    const early = startEarlyLoad(c, noSleep);
    early.abort();
    const handle = early.start(c, { signal: new AbortController().signal }, () => {});
    await expect(handle.finished).rejects.toMatchObject({ name: "AbortError" });
  });
});
