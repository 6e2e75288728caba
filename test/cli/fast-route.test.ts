/**
 * The first pass's routing without a parse (src/cli/fastRoute.ts): an answer only when the text
 * leaves no doubt, and never one that the parse would contradict, except in the two cases the
 * second pass checks (a nested reference with no top-level one, duplicate names).
 */
import { describe, expect, it } from "vitest";
import { fastPatientId } from "../../src/cli/fastRoute";
import { ownPatient } from "../../src/cli/flatten";

const route = (line: string) => fastPatientId(Buffer.from(line, "utf8"));
/** What the parse says the resource's own patient is. */
const parsed = (line: string) => ownPatient(JSON.parse(line) as Record<string, unknown>);

describe("fastPatientId: answers", () => {
  const answered: [string, string, string][] = [
    ["a Bulk Data Observation", '{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},"status":"final"}', "p1"],
    ["subject last", '{"resourceType":"Observation","code":{"text":"Ca"},"subject":{"reference":"Patient/p-2"}}', "p-2"],
    ["patient, not subject", '{"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/a.b"}}', "a.b"],
    ["white space everywhere", '{ "resourceType" : "Condition" ,\t"subject" : { "reference" : "Patient/p3" } }', "p3"],
    ["an absolute reference", '{"resourceType":"Observation","subject":{"reference":"https://ehr.example/fhir/Patient/p4"}}', "p4"],
    ["a versioned reference", '{"resourceType":"Observation","subject":{"reference":"Patient/p5/_history/2"}}', "p5"],
    [
      "an escaped name in a string value",
      '{"resourceType":"Observation","note":[{"text":"see \\"subject\\""}],"subject":{"reference":"Patient/p7"}}',
      "p7",
    ],
    [
      "non-ASCII text elsewhere",
      '{"resourceType":"Observation","code":{"text":"Kalzium – Serum"},"subject":{"reference":"Patient/p6"}}',
      "p6",
    ],
  ];
  for (const [what, line, id] of answered) {
    it(what, () => {
      expect(route(line)).toBe(id);
      expect(parsed(line)).toBe(id);
    });
  }
});

describe("fastPatientId: leaves the line to the parse when the text does not settle it", () => {
  const left: [string, string][] = [
    ["a Patient (its own id)", '{"resourceType":"Patient","id":"p1"}'],
    [
      "a Bundle",
      '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","subject":{"reference":"Patient/p1"}}}]}',
    ],
    [
      "contained resources",
      '{"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"x"}],"subject":{"reference":"#x"}}',
    ],
    [
      "both subject and patient",
      '{"resourceType":"Observation","subject":{"reference":"Patient/p1"},"extension":[{"patient":{"reference":"Patient/p2"}}]}',
    ],
    [
      "two subjects",
      '{"resourceType":"Observation","subject":{"reference":"Patient/p1"},"focus":[{"subject":{"reference":"Patient/p2"}}]}',
    ],
    ["a string ending in an escaped quote and the name", '{"resourceType":"Observation","note":[{"text":"a \\"subject"}]}'],
    ["an escaped name only", '{"resourceType":"Observation","note":[{"text":"x \\"subject\\": {\\"reference\\": \\"Patient/p9\\"}"}]}'],
    ["a non-ASCII reference", '{"resourceType":"Observation","subject":{"reference":"Patient/é1"}}'],
    ["an escaped character in the reference", '{"resourceType":"Observation","subject":{"reference":"Patient\\/p1"}}'],
    ["display before reference", '{"resourceType":"Observation","subject":{"display":"Ann","reference":"Patient/p1"}}'],
    ["a reference to a Group", '{"resourceType":"Observation","subject":{"reference":"Group/g1"}}'],
    ["two resource types", '{"resourceType":"Observation","resourceType":"Patient","subject":{"reference":"Patient/p1"}}'],
    ["a lower-case resource type", '{"resourceType":"observation","subject":{"reference":"Patient/p1"}}'],
    ["no patient at all", '{"resourceType":"Medication","id":"m1"}'],
  ];
  for (const [what, line] of left) it(what, () => expect(route(line)).toBeUndefined());

  it("a name inside a string value does not count as the reference (the one answer there would be wrong)", () => {
    const line = '{"resourceType":"Observation","note":[{"text":"x \\"subject\\": {\\"reference\\": \\"Patient/p9\\"}"}]}';
    expect(parsed(line)).toBeNull();
  });
});

describe("fastPatientId: the cases only the second pass's check can settle", () => {
  it("a nested reference with no top-level one: routed, and the parse says no patient (pass 2 counts it unplaced)", () => {
    const line = '{"resourceType":"Provenance","entity":[{"what":{"id":"w"},"subject":{"reference":"Patient/p1"}}]}';
    expect(route(line)).toBe("p1");
    expect(parsed(line)).toBeNull();
  });
});
