import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPMENT_CONFIG } from "../../../scripts/dev-config";
import { findEhr, parseSmartConfig } from "../../../src/session/config";
import { freePort } from "../../support/free-port";

// `npm start` as a developer runs it: the app's dev server and the sandbox, each on its own port.
let child: ReturnType<typeof spawn>;
let appOrigin: string;
let sandboxUrl: string;

beforeAll(async () => {
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  appOrigin = `http://localhost:${appPort}`;
  sandboxUrl = `http://localhost:${sandboxPort}`;
  child = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    env: { ...process.env, APP_PORT: String(appPort), SANDBOX_PORT: String(sandboxPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Local SMART EHR:")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
  });
}, 120_000);

afterAll(async () => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
});

describe("npm start", () => {
  it("serves the development smart-config.json, which accepts its sandbox as issuer", async () => {
    const response = await fetch(`${appOrigin}/smart-config.json`);
    const text = await response.text();
    expect(text).toBe(readFileSync(DEVELOPMENT_CONFIG, "utf8"));
    expect(findEhr(parseSmartConfig(JSON.parse(text)), `${sandboxUrl}/fhir`)?.name).toMatch(/Local sandbox/);
  });

  it("links the sandbox's launch page to the app's launch page", async () => {
    expect((await fetch(`${appOrigin}/launch.html`)).status).toBe(200);
    const page = await (await fetch(`${sandboxUrl}/`)).text();
    expect(page).toContain(`launch_uri=${encodeURIComponent(`${appOrigin}/launch.html`)}`);
  });
});
