import { describe, expect, test } from "vitest";
import { clearDraft, draftKey, loadDraft, saveDraft, type DraftStorage } from "../../../src/writeback/draft";

function memory(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe("write-back draft", () => {
  test("survives a reload: what was saved is loaded for the same patient and finding", () => {
    const storage = memory();
    saveDraft(storage, "modena-3", {
      version: 1,
      findingId: "f1",
      choices: { includeCondition: true },
      state: "draft",
      updatedAt: "2026-11-21T09:30:00Z",
    });
    expect(loadDraft(storage, "modena-3", "f1")).toEqual({
      version: 1,
      findingId: "f1",
      choices: { includeCondition: true },
      state: "draft",
      updatedAt: "2026-11-21T09:30:00Z",
    });
  });

  test("is not offered for another patient or another finding", () => {
    const storage = memory();
    saveDraft(storage, "modena-3", { version: 1, findingId: "f1", choices: { includeCondition: true }, state: "draft", updatedAt: "" });
    expect(loadDraft(storage, "modena-1", "f1")).toBeNull();
    expect(loadDraft(storage, "modena-3", "f2")).toBeNull();
  });

  test("stores only choices and state: no patient id, no text, no resources", () => {
    const storage = memory();
    saveDraft(storage, "modena-3", {
      version: 1,
      findingId: "f1",
      choices: { includeCondition: false },
      state: "partial",
      updatedAt: "t",
      // Extra fields a caller might pass by mistake are not stored.
      ...({ noteText: "Patient/modena-3 PTH 86.5" } as object),
    } as never);
    const [key, value] = [...storage.data][0];
    expect(key).toBe(draftKey("modena-3", "f1"));
    expect(key).not.toContain("modena-3");
    expect(value).not.toContain("modena");
    expect(Object.keys(JSON.parse(value)).sort()).toEqual(["choices", "findingId", "state", "updatedAt", "version"]);
  });

  test("ignores corrupt or foreign entries, and can be cleared", () => {
    const storage = memory();
    storage.setItem(draftKey("p", "f"), "{not json");
    expect(loadDraft(storage, "p", "f")).toBeNull();
    storage.setItem(
      draftKey("p", "f"),
      JSON.stringify({ version: 1, findingId: "f", choices: { includeCondition: "yes" }, state: "draft" }),
    );
    expect(loadDraft(storage, "p", "f")).toBeNull();
    saveDraft(storage, "p", { version: 1, findingId: "f", choices: { includeCondition: true }, state: "sent", updatedAt: "" });
    expect(loadDraft(storage, "p", "f")?.state).toBe("sent");
    clearDraft(storage, "p", "f");
    expect(loadDraft(storage, "p", "f")).toBeNull();
  });

  test("a storage that throws (disabled, full) does not break anything", () => {
    const broken: DraftStorage = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
      removeItem: () => {
        throw new Error("denied");
      },
    };
    expect(() =>
      saveDraft(broken, "p", { version: 1, findingId: "f", choices: { includeCondition: true }, state: "draft", updatedAt: "" }),
    ).not.toThrow();
    expect(loadDraft(broken, "p", "f")).toBeNull();
    expect(loadDraft(null, "p", "f")).toBeNull();
  });
});
