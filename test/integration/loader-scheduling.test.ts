/**
 * The request queue's order (src/fhir/priority.ts), measured in round trips on the fake EHR's round
 * clock (helpers/fake-ehr.ts, RoundClock): six requests in flight, each round answered at once, so
 * the counts below are the same on any machine. A first-come-first-served queue
 * (`queueOrder: "fifo"`, the same limiter without priorities) is run beside each for contrast.
 */
import { describe, expect, it } from "vitest";
import { startRecordLoad, type LoadOptions } from "../../src/fhir";
import type { LoadSnapshot } from "../../src/fhir/types";
import { readyToAssess } from "../../src/ui/record/useRecord";
import { createFhirClient } from "./helpers/fhir-client";
import {
  BASE,
  CALCIUM,
  CREATININE,
  LOINC,
  PATIENT,
  ehr,
  observation,
  observationKeys,
  record,
  resetEhr,
  searchOf,
  roundClock,
  useFakeEhr,
  type Res,
} from "./helpers/fake-ehr";

useFakeEhr();

const ALBUMIN = "1751-7";
const EGFR = "98979-8";
const PHOSPHATE = "2777-1";
const PAGE = 10;

function results(code: string, n: number): Res[] {
  return Array.from({ length: n }, (_, i) => observation(`${code}-${i}`, code, i));
}

/**
 * The `large` demo patient's shape at 100-entry pages, in tens: four analytes of 13 pages, one of
 * 9, every other search one page (what the load bench measures).
 */
function largeShape(conditions = 2): Res[] {
  return [
    ...record({ calcium: 13 * PAGE, creatinine: 13 * PAGE, conditions }),
    ...results(ALBUMIN, 13 * PAGE),
    ...results(EGFR, 13 * PAGE),
    ...results(PHOSPHATE, 9 * PAGE),
  ];
}

interface RoundRun {
  /** Rounds until the last page was answered. */
  rounds: number;
  /** Rounds answered when the first snapshot the app can assess was emitted. */
  firstAssessable: number;
  final: LoadSnapshot;
}

async function inRounds(data: Res[], options: LoadOptions = {}): Promise<RoundRun> {
  resetEhr(data, { maxPageSize: PAGE, rounds: roundClock() });
  let firstAssessable = -1;
  const client = createFhirClient({ serverUrl: BASE, patientId: PATIENT });
  const final = await startRecordLoad(client, { capabilities: false, ...options }, (s) => {
    if (firstAssessable < 0 && readyToAssess(s)) firstAssessable = ehr.round;
  }).finished;
  return { rounds: ehr.round, firstAssessable, final };
}

/** Rounds in which the pages of the Observation search that asks for `code` were answered. */
function roundsOf(code: string): number[] {
  const codes = observationKeys()
    .find((p) => p.key === searchOf(code))!
    .codes.join(",");
  return ehr.log.filter((l) => l.url.searchParams.get("code") === codes).map((l) => l.round!);
}

describe("the request queue: longest chains first, the first assessment's searches ahead of the small ones", () => {
  it("loads five long analyte chains in one round more than the longest chain; first-come-first-served takes longer", async () => {
    const fifo = await inRounds(largeShape(), { queueOrder: "fifo" });
    const shipped = await inRounds(largeShape());

    expect(shipped.final.unavailable).toEqual([]);
    expect(shipped.final.stats?.longestChain).toBe(13);
    // The lower bound is 13 rounds (the longest chain; 70 requests need only 12 at six a round).
    // One more: the first round carries what the first assessment needs (Patient, Condition, the
    // two imaging searches), so two of the long chains start in the second.
    expect(shipped.rounds).toBe(13 + 1);
    // Once started, a long chain gets a slot every round: the small searches fill what is left.
    for (const code of [CALCIUM, CREATININE, ALBUMIN, EGFR, PHOSPHATE]) {
      const rounds = roundsOf(code);
      expect(rounds, `pages of ${code}`).toEqual(rounds.map((_, i) => rounds[0] + i));
      expect(rounds[0]).toBeLessThanOrEqual(2);
    }
    expect(fifo.final.resources).toHaveLength(shipped.final.resources.length);
    expect(fifo.rounds).toBeGreaterThan(shipped.rounds);
  });

  it("sends the rest of a long problem list before the small searches' first pages, so the first assessment comes sooner", async () => {
    // 30 diagnoses, 3 pages: the first assessment waits for all of them (readyToAssess).
    const fifo = await inRounds(largeShape(30), { queueOrder: "fifo" });
    const shipped = await inRounds(largeShape(30));

    expect(shipped.final.progress.find((p) => p.key === "Condition")).toMatchObject({ state: "done", pages: 3 });
    // One page per round: the problem list is done after three, the earliest it can be.
    expect(shipped.firstAssessable).toBe(3);
    expect(fifo.firstAssessable).toBeGreaterThan(shipped.firstAssessable);
    // The problem list's pages still leave every long chain its slot in each round.
    expect(shipped.rounds).toBe(13 + 1);
    expect(ehr.log.filter((l) => l.url.searchParams.get("code")?.includes(`${LOINC}|${CALCIUM}`))).toHaveLength(13);
  });
});
