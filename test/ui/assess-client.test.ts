import { describe, expect, it } from "vitest";
import { assess } from "../../src/clinical";
import { backgroundAssess } from "../../src/ui/record/assess/assessClient";
import { AS_OF, demo } from "./fixtures";

describe("the background assessment", () => {
  it("falls back to the engine on the main thread where there is no Worker (jsdom), answering at once", () => {
    expect(typeof Worker).toBe("undefined");
    const d = demo("modena-3");
    const result = backgroundAssess()(d.resources, { asOf: AS_OF, patientId: "modena-3" });
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual(assess(d.resources as Parameters<typeof assess>[0], { asOf: AS_OF, patientId: "modena-3" }));
  });
});
