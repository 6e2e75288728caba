/** The text of docs/clinical-rules.md: the generated Markdown, formatted with the repository's Prettier settings. */
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { clinicalRulesMarkdown } from "../src/clinical/rulesDoc";

export const RULES_DOC_PATH = fileURLToPath(new URL("../docs/clinical-rules.md", import.meta.url));

export async function rulesDocText(): Promise<string> {
  const config = (await resolveConfig(RULES_DOC_PATH)) ?? {};
  return format(clinicalRulesMarkdown(), { ...config, filepath: RULES_DOC_PATH });
}
