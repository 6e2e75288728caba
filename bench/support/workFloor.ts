/**
 * The CLI bench's floor: the work every resource needs whatever the design, in one thread, on the
 * same export. Lines are first grouped by patient as text (not timed: that grouping is what the
 * CLI's passes and temporary files do, and what this floor leaves out); then, timed, each
 * patient's lines are parsed, assessed with the CLI's options and rendered as the NDJSON output.
 * Divided by the cores, it is what no grouping scheme can go under. Prints one line of JSON:
 * { cpuSeconds, patients, resources }.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import { assess } from "../../src/clinical";
import { fastPatientId } from "../../src/cli/fastRoute";
import { ownPatient } from "../../src/cli/flatten";
import { forEachLineBytes } from "../../src/cli/lines";
import { render } from "../../src/cli/render";

const [dir, asOf] = [process.argv[2]!, process.argv[3]!];
const byPatient = new Map<string, string[]>();
let resources = 0;
for (const name of readdirSync(dir).sort()) {
  if (!name.endsWith(".ndjson")) continue;
  forEachLineBytes(join(dir, name), name, (bytes, start, end) => {
    const line = bytes.subarray(start, end);
    const id = fastPatientId(line) ?? ownPatient(JSON.parse(line.toString("utf8")) as Record<string, unknown>);
    if (typeof id !== "string") return;
    const list = byPatient.get(id);
    if (list) list.push(line.toString("utf8"));
    else byPatient.set(id, [line.toString("utf8")]);
    resources++;
  });
}

const before = process.cpuUsage();
let bytes = 0;
for (const id of [...byPatient.keys()].sort()) {
  const parsed = byPatient.get(id)!.map((text) => JSON.parse(text) as Resource);
  bytes += render(assess(parsed, { asOf, patientId: id }), "ndjson").length;
}
const used = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6, patients: byPatient.size, resources, bytes })}\n`);
