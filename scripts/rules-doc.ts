/** Writes docs/clinical-rules.md from the rule table (src/clinical/rulesDoc.ts). */
import { writeFileSync } from "node:fs";
import { RULES_DOC_PATH, rulesDocText } from "./rules-doc-text";

const args = process.argv.slice(2);
if (args[0] === "--help") {
  process.stdout.write("Usage: npm run rules-doc\n\nWrites docs/clinical-rules.md from src/clinical/ruleTable.ts. Options: --help\n");
} else if (args.length) {
  process.stderr.write(`rules-doc: takes no arguments, got ${args[0]} (see --help)\n`);
  process.exitCode = 2;
} else {
  writeFileSync(RULES_DOC_PATH, await rulesDocText());
  process.stdout.write(`rules-doc: wrote ${RULES_DOC_PATH}\n`);
}
