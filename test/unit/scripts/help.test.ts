import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

// The npm scripts that take arguments or settings (assess has its own tests, in test/cli).
const WITH_ARGUMENTS = ["registration", "security-headers", "load-demo", "sandbox", "start", "bench", "check-config", "rules-doc"];

describe("--help on every npm script that takes arguments", () => {
  it.each(WITH_ARGUMENTS)("npm run %s -- --help prints its usage and exits 0", { timeout: 60_000 }, async (name) => {
    const [command, ...args] = scripts[name].split(" ");
    expect(command).toBe("tsx");
    // Ports of their own, in case a script ignores --help and starts its servers: the test then
    // fails on the timeout, without taking the ports of a running `npm start`.
    const { stdout } = await run("node_modules/.bin/tsx", [...args, "--help"], {
      timeout: 30_000,
      env: { ...process.env, SANDBOX_PORT: "0", APP_PORT: "0" },
    });
    expect(stdout).toMatch(new RegExp(`^Usage: npm (run )?${name}\\b`));
    expect(stdout).toMatch(/--help/);
  });

  it.each(["sandbox", "start", "registration", "security-headers", "check-config", "rules-doc"])(
    "npm run %s refuses an argument it does not know, in one line",
    { timeout: 60_000 },
    async (name) => {
      const [, ...args] = scripts[name].split(" ");
      const outcome = await run("node_modules/.bin/tsx", [...args, "--no-such-option"], {
        timeout: 30_000,
        env: { ...process.env, SANDBOX_PORT: "0", APP_PORT: "0" },
      }).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(outcome.code).toBe(2);
      expect(outcome.stderr.trim()).toMatch(new RegExp(`^${name}: .*--no-such-option.*\\(see --help\\)$`));
    },
  );
});
