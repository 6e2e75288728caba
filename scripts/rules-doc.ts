/** Writes docs/clinical-rules.md from the rule table (src/clinical/rulesDoc.ts). */
import { writeFileSync } from "node:fs";
import { RULES_DOC_PATH, rulesDocText } from "./rules-doc-text";

writeFileSync(RULES_DOC_PATH, await rulesDocText());
process.stdout.write(`rules-doc: wrote ${RULES_DOC_PATH}\n`);
