/** Command-line parsing shared by `assess` and `screen`: `--flag value`, `--flag=value`, switches. */
export class UsageError extends Error {}

export interface ParsedOptions {
  values: Record<string, string | undefined>;
  switches: Set<string>;
  positional: string[];
}

/** `valued`: flags that take a value; `switches`: flags that do not. -h/--help gives "help". */
export function parseOptions(argv: string[], valued: readonly string[], switches: readonly string[]): ParsedOptions | "help" {
  const values: Record<string, string | undefined> = {};
  const on = new Set<string>();
  const positional: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (flag === "-h" || flag === "--help") return "help";
    if (valued.includes(flag)) {
      const v = inline ?? argv[++k];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      values[flag] = v;
    } else if (switches.includes(flag) && inline === undefined) {
      on.add(flag);
    } else if (a.startsWith("-")) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  return { values, switches: on, positional };
}

export function today(): string {
  // The command line, not the engine, reads the clock: only for the default --as-of.
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}
