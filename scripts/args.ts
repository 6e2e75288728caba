/**
 * Command-line options of the npm scripts: node:util parseArgs, plus `--help` (or `-h`), which
 * prints the usage and exits 0, and one-line errors that point at --help (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

export function parseCommandLine<T extends ParseArgsConfig>(command: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  const argv = config.args ?? process.argv.slice(2);
  const end = argv.indexOf("--");
  if ((end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h")) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    // parseArgs explains at length; its first sentence says what is wrong.
    console.error(`${command}: ${(error as Error).message.split(". ")[0]} (see --help)`);
    process.exit(2);
  }
}
