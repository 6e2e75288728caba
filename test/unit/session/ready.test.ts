import { describe, expect, it } from "vitest";
import type Client from "fhirclient/lib/Client";
import HttpError from "fhirclient/lib/HttpError";
import { completeLaunch } from "../../../src/session/ready";
import { redact } from "../../../src/session/problems";

const url = (query: string) => new URL(`https://app.example/index.html${query}`);
const clientFor = (patientId?: string) => ({ patient: { id: patientId } }) as unknown as Client;
const failingWith = (error: unknown) => () => Promise.reject(error);

describe("completeLaunch", () => {
  it("returns the client when the launch completes with a patient", async () => {
    const outcome = await completeLaunch(url("?code=c&state=s"), async () => clientFor("modena-3"));
    expect(outcome.ok).toBe(true);
  });

  it("names the EHR's refusal without calling ready()", async () => {
    let called = false;
    const outcome = await completeLaunch(url("?error=invalid_scope&error_description=Bad+scope&state=s"), async () => {
      called = true;
      return clientFor("x");
    });
    expect(called).toBe(false);
    expect(outcome).toMatchObject({ ok: false, problem: { kind: "authorization-refused" } });
    if (!outcome.ok) {
      expect(outcome.problem.message).toContain("invalid_scope: Bad scope");
      expect(outcome.problem.nextStep).toMatch(/scopes/);
    }
  });

  it.each([["No 'state' parameter found. Please (re)launch the app."], ["No state found! Please (re)launch the app."]])(
    "turns %s into the state-missing screen",
    async (message) => {
      const outcome = await completeLaunch(url(""), failingWith(new Error(message)));
      expect(outcome).toMatchObject({ ok: false, problem: { kind: "state-missing" } });
    },
  );

  it("reports a refused token request with the server's reason and no secrets", async () => {
    const response = new Response(JSON.stringify({ error: "invalid_grant", error_description: "code=abc123 expired" }), {
      status: 400,
      headers: { "content-type": "application/json" },
    });
    const outcome = await completeLaunch(url("?code=abc123&state=s"), failingWith(new HttpError(response)));
    expect(outcome).toMatchObject({ ok: false, problem: { kind: "token-refused" } });
    if (!outcome.ok) {
      expect(outcome.problem.details).toContain("invalid_grant");
      expect(outcome.problem.details).not.toContain("abc123");
    }
  });

  it("refuses a launch without a patient in context", async () => {
    const outcome = await completeLaunch(url("?code=c&state=s"), async () => clientFor(undefined));
    expect(outcome).toMatchObject({ ok: false, problem: { kind: "no-patient" } });
  });
});

describe("redact", () => {
  it("removes tokens, codes and bearer credentials", () => {
    const text = redact('GET /x?code=SECRET1&state=ok Authorization: Bearer SECRET2 {"access_token": "SECRET3"} eyJhbGciOi.eyJzdWIiOi.sig');
    expect(text).not.toMatch(/SECRET1|SECRET2|SECRET3|eyJhbGciOi/);
    expect(text).toContain("state=ok");
  });
});
