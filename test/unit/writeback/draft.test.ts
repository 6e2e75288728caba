import { describe, expect, test } from "vitest";
import { draftKey, itemToken, loadDraft, saveDraft, type DraftStorage, type WriteDraft } from "../../../src/writeback/draft";

function memory(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

const KEYS = ["condition", "issue:PC-SIZE:1a2b3c4d", "issue:S-PTH:5e6f7a8b", "request:G-ALB:0c0d0e0f", "note", "provenance"];

function draft(overrides: Partial<WriteDraft> = {}): WriteDraft {
  return {
    version: 2,
    findingId: "f1",
    choices: { includeCondition: true, deselected: ["request:G-ALB:0c0d0e0f"] },
    state: "partial",
    items: {
      "issue:PC-SIZE:1a2b3c4d": { state: "written", reference: "DetectedIssue/17" },
      "issue:S-PTH:5e6f7a8b": { state: "refused" },
      note: { state: "may-be-saved" },
      provenance: { state: "not-sent" },
    },
    updatedAt: "2026-11-21T09:30:00Z",
    ...overrides,
  };
}

describe("write-back draft", () => {
  test("survives a reload: choices, state and each item's outcome come back for the same patient and finding", () => {
    const storage = memory();
    saveDraft(storage, "modena-3", draft());
    expect(loadDraft(storage, "modena-3", "f1", KEYS)).toEqual(draft());
  });

  test("is not offered for another patient or another finding", () => {
    const storage = memory();
    saveDraft(storage, "modena-3", draft());
    expect(loadDraft(storage, "modena-1", "f1", KEYS)).toBeNull();
    expect(loadDraft(storage, "modena-3", "f2", KEYS)).toBeNull();
  });

  test("stores no patient data: hashed keys, no rule ids, no text; references are type and id only", () => {
    const storage = memory();
    saveDraft(storage, "modena-3", { ...draft(), ...({ noteText: "Patient/modena-3 PTH 86.5" } as object) } as WriteDraft);
    const [key, value] = [...storage.data][0];
    expect(key).toBe(draftKey("modena-3", "f1"));
    expect(key).not.toContain("modena-3");
    expect(value).not.toMatch(/modena|PTH|PC-SIZE|G-ALB|Patient/);
    const stored = JSON.parse(value);
    expect(Object.keys(stored).sort()).toEqual(["choices", "findingId", "items", "state", "updatedAt", "version"]);
    expect(stored.items[itemToken("issue:PC-SIZE:1a2b3c4d")]).toEqual({ state: "written", reference: "DetectedIssue/17" });
    expect(stored.choices.deselected).toEqual([itemToken("request:G-ALB:0c0d0e0f")]);
  });

  test("items the current plan cannot have, and malformed references, are dropped on load", () => {
    const storage = memory();
    saveDraft(
      storage,
      "p",
      draft({ items: { "issue:GONE:00000000": { state: "written" }, note: { state: "written", reference: "DocumentReference/9" } } }),
    );
    const raw = JSON.parse(storage.data.get(draftKey("p", "f1"))!);
    raw.items[itemToken("provenance")] = { state: "written", reference: "javascript:alert(1)" };
    storage.setItem(draftKey("p", "f1"), JSON.stringify(raw));
    expect(loadDraft(storage, "p", "f1", KEYS)?.items).toEqual({
      note: { state: "written", reference: "DocumentReference/9" },
      provenance: { state: "written" },
    });
  });

  test("a draft from the previous version (no items) still loads", () => {
    const storage = memory();
    storage.setItem(
      draftKey("p", "f"),
      JSON.stringify({ version: 1, findingId: "f", choices: { includeCondition: true }, state: "sent", updatedAt: "t" }),
    );
    expect(loadDraft(storage, "p", "f", KEYS)).toEqual({
      version: 2,
      findingId: "f",
      choices: { includeCondition: true, deselected: [] },
      state: "sent",
      items: {},
      updatedAt: "t",
    });
  });

  test("ignores corrupt or foreign entries", () => {
    const storage = memory();
    storage.setItem(draftKey("p", "f"), "{not json");
    expect(loadDraft(storage, "p", "f", KEYS)).toBeNull();
    storage.setItem(
      draftKey("p", "f"),
      JSON.stringify({ version: 2, findingId: "f", choices: { includeCondition: "yes" }, state: "draft" }),
    );
    expect(loadDraft(storage, "p", "f", KEYS)).toBeNull();
    storage.setItem(draftKey("p", "f"), JSON.stringify({ version: 2, findingId: "f", choices: { includeCondition: true }, state: "done" }));
    expect(loadDraft(storage, "p", "f", KEYS)).toBeNull();
  });

  test("a storage that throws (disabled, full) does not break anything", () => {
    const broken: DraftStorage = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(() => saveDraft(broken, "p", draft())).not.toThrow();
    expect(loadDraft(broken, "p", "f1", KEYS)).toBeNull();
    expect(loadDraft(null, "p", "f1", KEYS)).toBeNull();
  });
});
