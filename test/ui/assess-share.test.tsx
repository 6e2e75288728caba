import { describe, expect, it } from "vitest";
import { render } from "@testing-library/react";
import { assess } from "../../src/clinical";
import type { Assessment } from "../../src/clinical/types";
import { AssessmentDiffer, applyDelta } from "../../src/ui/record/assess/share";
import { memoOnAssessment, type AssessmentParts } from "../../src/ui/record/memoOnAssessment";
import { AS_OF, demo } from "./fixtures";

const opts = { asOf: AS_OF, patientId: "modena-3" };
/** Through a structured clone, as a worker's message would be. */
const posted = <T,>(v: T): T => structuredClone(v);

describe("structural sharing of the worker's assessments", () => {
  const d = demo("modena-3");
  const full = assess(d.resources as Parameters<typeof assess>[0], opts);

  it("rebuilds each assessment exactly, keeping the objects of the parts that did not change", () => {
    const differ = new AssessmentDiffer();
    const first = applyDelta(null, posted(differ.delta(full)));
    expect(first).toEqual(full);
    expect(Object.keys(first)).toEqual(Object.keys(full));
    // The same record with a new `read` count: only that part is sent, and only it is a new object.
    const moved: Assessment = { ...full, read: { ...full.read, documents: full.read.documents + 1 } };
    const delta = posted(differ.delta(moved));
    expect(Object.keys(delta.changed)).toEqual([]);
    expect(Object.keys(delta.parts)).toEqual(["read"]);
    const second = applyDelta(first, delta);
    expect(second).toEqual(moved);
    expect(second.read).not.toBe(first.read);
    for (const k of Object.keys(full) as (keyof Assessment)[]) if (k !== "read") expect(second[k]).toBe(first[k]);
  });

  it("shares one lab's summary while another changes, and starts afresh after a reset", () => {
    const differ = new AssessmentDiffer();
    const first = applyDelta(null, posted(differ.delta(full)));
    const [changedLab, ...others] = Object.keys(full.labs) as (keyof Assessment["labs"])[];
    expect(others.length).toBeGreaterThan(0);
    const moved: Assessment = { ...full, labs: { ...full.labs, [changedLab!]: { ...full.labs[changedLab!]!, count: 999 } } };
    const second = applyDelta(first, posted(differ.delta(moved)));
    expect(second).toEqual(moved);
    expect(second.labs).not.toBe(first.labs);
    expect(second.labs[changedLab!]).not.toBe(first.labs[changedLab!]);
    for (const k of others) expect(second.labs[k]).toBe(first.labs[k]);
    differ.reset();
    const again = posted(differ.delta(full));
    expect(Object.keys(again.changed).length + Object.keys(again.parts).length).toBe(Object.keys(full).length);
    expect(() => applyDelta(null, { keys: ["status"], changed: {}, parts: {} })).toThrow(/status/);
  });

  it("renders a memoised panel again only when a part it reads, or another prop, changes", () => {
    let renders = 0;
    const View = (props: { assessment: AssessmentParts<"status"> | null; note: string }) => {
      renders++;
      return <p>{`${props.assessment?.status} ${props.note}`}</p>;
    };
    const Panel = memoOnAssessment(View, ["status"]);
    const { rerender, container } = render(<Panel assessment={full} note="a" />);
    const readMoved: Assessment = { ...full, read: { ...full.read } };
    rerender(<Panel assessment={readMoved} note="a" />);
    expect(renders).toBe(1);
    rerender(<Panel assessment={{ ...full, status: "indeterminate" }} note="a" />);
    expect(renders).toBe(2);
    expect(container.textContent).toBe("indeterminate a");
    rerender(<Panel assessment={{ ...full, status: "indeterminate" }} note="b" />);
    expect(renders).toBe(3);
    rerender(<Panel assessment={null} note="b" />);
    expect(container.textContent).toBe("undefined b");
  });
});
