import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULES } from "../../../src/clinical";
import * as T from "../../../src/clinical/thresholds";
import { RULES_DOC_PATH, rulesDocText } from "../../../scripts/rules-doc-text";

const doc = readFileSync(RULES_DOC_PATH, "utf8");

describe("docs/clinical-rules.md", () => {
  it("is the text generated from the rule table (run `npm run rules-doc` after changing a rule)", async () => {
    expect(doc).toBe(await rulesDocText());
  });
  it("names every rule id once, with its threshold from thresholds.ts", () => {
    for (const id of Object.keys(RULES)) expect(doc.match(new RegExp(`^\\| ${id} +\\|`, "gm"))?.length, id).toBe(1);
    expect(doc).toContain(`Largest dimension >= ${T.PC_MIN_SIZE_CM.toFixed(1)} cm`);
    expect(doc).toContain(`grown >= ${T.G_NEO_GROWTH_PERCENT}%`);
  });
  it("points to nothing outside the repository", () => {
    expect(doc).not.toMatch(/\.\.\/|shared\/|seeds\//);
  });
});
