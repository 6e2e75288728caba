/**
 * The CLI bench's baseline: read every NDJSON file of a folder line by line (the CLI's own line
 * reader) and JSON.parse each line, in one thread, and nothing else. Prints the line count.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { forEachLine } from "../../src/cli/lines";

const dir = process.argv[2]!;
let n = 0;
let sink = 0;
for (const name of readdirSync(dir).sort()) {
  if (!name.endsWith(".ndjson")) continue;
  forEachLine(join(dir, name), name, (line) => {
    const v = JSON.parse(line) as { id?: string };
    sink += v.id ? 1 : 0;
    n++;
  });
}
process.stdout.write(`${n} ${sink}\n`);
