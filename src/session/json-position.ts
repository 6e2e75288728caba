/**
 * Positions in a JSON text, for messages hospital IT can act on ("line 7, column 5: a "," is
 * missing"): where the first syntax error is, where a value sits, which keys are repeated.
 * Browsers word JSON.parse errors differently and some give no position, so the text is parsed
 * again here (jsonc-parser, strict JSON: no comments, no trailing commas).
 */
import { findNodeAtLocation, getLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from "jsonc-parser";

export interface TextPosition {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset (a tab counts as one column, as in editors). */
export function lineColumn(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export interface JsonDocument {
  root: Node | undefined;
  /** The first syntax error (the ones after it are mostly its echoes), or null. */
  syntaxError: { offset: number; message: string } | null;
}

const VALUE_WORDS = "a value (a string in double quotes, a number, true, false, null, an object or a list)";

/** jsonc-parser's error codes whose explanation needs nothing but the code. */
const NO_COMMENTS = 'comments are not allowed in JSON (a "$comment" property is)';
const PLAIN_MESSAGES: Partial<Record<string, string>> = {
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: `expected ${VALUE_WORDS}`,
  CommaExpected: 'a "," is missing before this',
  ColonExpected: 'expected ":" after the property name',
  CloseBraceExpected: 'an object is not closed: a "}" is missing',
  CloseBracketExpected: 'a list is not closed: a "]" is missing',
  InvalidCommentToken: NO_COMMENTS,
  UnexpectedEndOfComment: NO_COMMENTS,
  UnexpectedEndOfString: 'a string is not closed: a closing " is missing',
  InvalidCharacter: "a string contains a tab or a line break: write it as \\t or \\n",
  InvalidNumberFormat: "invalid number",
  UnexpectedEndOfNumber: "invalid number",
  EndOfFileExpected: "unexpected text after the end of the JSON",
};

/** What went wrong, in words, for the first error jsonc-parser reports. */
function explain(text: string, error: ParseError, root: Node | undefined): { offset: number; message: string } {
  const at = error.offset;
  const before = text.slice(0, at).trimEnd();
  const here = text.slice(at, at + Math.max(error.length, 1));
  const code = printParseErrorCode(error.error);
  if (text.trim() === "") return { offset: 0, message: "the file is empty" };
  // "[1,]" and "{"a":1,}": what is expected after the comma is really a comma too many.
  if ((code === "PropertyNameExpected" || code === "ValueExpected") && before.endsWith(",") && (text[at] === "}" || text[at] === "]")) {
    return { offset: before.length - 1, message: `a trailing "," before "${text[at]}": remove it` };
  }
  const plain = PLAIN_MESSAGES[code];
  if (plain) return { offset: at, message: plain };
  switch (code) {
    case "InvalidEscapeCharacter":
    case "InvalidUnicode": {
      // The error spans the whole string: point at the backslash itself.
      const bad = /\\(?:u(?![0-9a-fA-F]{4})|[^"\\/bfnrtu])/.exec(here);
      const escape = bad ? bad[0] : "\\";
      return {
        offset: at + (bad?.index ?? 0),
        message: `"${escape}" is not a JSON escape: write a backslash as "\\\\" (in a "/regex/", \\. is written \\\\.)`,
      };
    }
    default:
      if (here.startsWith("'")) return { offset: at, message: "strings and property names take double quotes, not single quotes" };
      if (root && at >= root.offset + root.length) return { offset: at, message: "unexpected text after the end of the JSON" };
      return {
        offset: at,
        message: `unexpected "${here.slice(0, 20)}": expected ${getLocation(text, at).isAtPropertyKey ? "a property name in double quotes" : VALUE_WORDS}`,
      };
  }
}

export function parseJsonDocument(text: string): JsonDocument {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return { root, syntaxError: errors.length > 0 ? explain(text, errors[0], root) : null };
}

/**
 * Offset of the value at `path`, or of the nearest enclosing value that exists (a missing
 * property points at its object). A property points at its name, where a reader looks.
 */
export function offsetOf(root: Node | undefined, path: JSONPath): number {
  if (!root) return 0;
  for (let length = path.length; length > 0; length -= 1) {
    const node = findNodeAtLocation(root, path.slice(0, length));
    if (node) return node.parent?.type === "property" ? node.parent.offset : node.offset;
  }
  return root.offset;
}

/** Properties named twice in one object: JSON.parse keeps the last silently. Each with its path. */
export function duplicateKeys(root: Node | undefined, path: JSONPath = []): { path: JSONPath; offset: number }[] {
  if (!root?.children) return [];
  const found: { path: JSONPath; offset: number }[] = [];
  const seen = new Set<string>();
  root.children.forEach((child, index) => {
    if (root.type === "object") {
      const [key, value] = child.children ?? [];
      const name = String(key?.value);
      if (seen.has(name)) found.push({ path: [...path, name], offset: child.offset });
      seen.add(name);
      found.push(...duplicateKeys(value, [...path, name]));
    } else {
      found.push(...duplicateKeys(child, [...path, index]));
    }
  });
  return found;
}
