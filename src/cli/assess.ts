/** Entry point of `npm run assess`; see main.ts. Never prints a stack trace. */
import { main } from "./main";

process.on("uncaughtException", (e) => {
  process.stderr.write(`assess: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});
// A closed pipe (`| head`) is not an error worth a trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 74));

const code = main(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
);
process.exitCode = code;
