/** Entry point of `npm run assess`; see main.ts. Never prints a stack trace. */
import { once } from "node:events";
import { main } from "./main";

process.on("uncaughtException", (e) => {
  process.stderr.write(`assess: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});
// A closed pipe (`| head`) is not an error worth a trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 74));

/** Output in chunks, waiting when the pipe is full: memory stays bounded whatever the output size. */
async function out(chunk: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
}

process.exitCode = await main(process.argv.slice(2), out, (s) => process.stderr.write(s));
