/**
 * The whole check of a smart-config.json text, with a line and column for each finding: the first
 * syntax error, or the first invalid setting (the app refuses the file), and the warnings. Shared by
 * the app's "settings could not be read" screen and `npm run check-config`. Browser-safe.
 */
import { ConfigError, parseSmartConfig, type SmartConfig } from "./config";
import { configWarnings } from "./config-warnings";
import { duplicateKeys, lineColumn, offsetOf, parseJsonDocument } from "./json-position";

export interface ConfigDiagnostic {
  severity: "error" | "warning";
  line: number;
  column: number;
  message: string;
  /** A warning's rule name (config-warnings.ts). */
  rule?: string;
}

export interface ConfigCheck {
  /** The settings, when there is no error. */
  config: SmartConfig | null;
  /** In file order; at most one error (what follows a first error is mostly its echo). */
  diagnostics: ConfigDiagnostic[];
}

export function checkSmartConfig(fileText: string): ConfigCheck {
  // An editor's byte-order mark is not part of the JSON (fetch drops it too).
  const text = fileText.replace(/^\uFEFF/, "");
  const document = parseJsonDocument(text);
  const at = (offset: number, severity: ConfigDiagnostic["severity"], message: string, rule?: string): ConfigDiagnostic => ({
    severity,
    ...lineColumn(text, offset),
    message,
    ...(rule ? { rule } : {}),
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const syntax = document.syntaxError ?? { offset: 0, message: `not valid JSON (${(error as Error).message})` };
    return { config: null, diagnostics: [at(syntax.offset, "error", syntax.message)] };
  }
  const duplicates = duplicateKeys(document.root).map(({ path, offset }) =>
    at(offset, "warning", `"${path[path.length - 1]}" is set twice in this object: only the last one counts`, "duplicate-key"),
  );
  let config: SmartConfig;
  try {
    config = parseSmartConfig(json);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config: null, diagnostics: inFileOrder([at(offsetOf(document.root, error.path), "error", error.message), ...duplicates]) };
  }
  const warnings = configWarnings(json as Record<string, unknown>, config).map((warning) =>
    at(offsetOf(document.root, warning.path), "warning", warning.message, warning.rule),
  );
  return { config, diagnostics: inFileOrder([...duplicates, ...warnings]) };
}

function inFileOrder(diagnostics: ConfigDiagnostic[]): ConfigDiagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** "smart-config.json, line 3, column 5: …", for the app's screen. */
export function describeForScreen(file: string, diagnostic: ConfigDiagnostic): string {
  return `${file}, line ${diagnostic.line}, column ${diagnostic.column}: ${diagnostic.message}`;
}

/** "public/smart-config.json:3:5: warning: … (rule)", the form editors and CI logs link to. */
export function describeForTerminal(file: string, diagnostic: ConfigDiagnostic): string {
  const rule = diagnostic.rule ? ` (${diagnostic.rule})` : "";
  return `${file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message}${rule}`;
}
