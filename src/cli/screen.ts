/** Entry point of `npm run screen`; see screen/main.ts. Never prints a stack trace. */
import { screenMain } from "./screen/main";

process.on("uncaughtException", (e) => {
  process.stderr.write(`screen: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});

process.exitCode = await screenMain(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
);
