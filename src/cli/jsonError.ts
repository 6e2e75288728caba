/**
 * Where a JSON text goes wrong. JSON.parse's messages do not always carry a position, so on failure
 * we scan the text once with a small recursive-descent checker that stops at the first error.
 */

export interface JsonErrorAt {
  offset: number;
  line: number;
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly why: string,
  ) {
    super(why);
  }
}

export function locateJsonError(text: string): JsonErrorAt | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (why: string): never => {
    throw new Stop(i, why);
  };
  const describe = () => (i >= n ? "unexpected end of input" : `unexpected ${JSON.stringify(text[i])}`);
  const str = () => {
    i++; // opening quote
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        i++;
        const e = text[i];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("bad \\u escape in string");
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail("bad escape in string");
      } else if (c.charCodeAt(0) < 0x20) fail("control character in string");
      else i++;
    }
    fail("unterminated string");
  };
  const num = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(describe());
    i += m![0].length;
  };
  const lit = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describe());
  };
  // Past an object's or a list's opening bracket: true (and past it) when the closing one follows at once.
  const emptyAfterOpening = (close: "}" | "]"): boolean => {
    i++;
    ws();
    if (text[i] !== close) return false;
    i++;
    return true;
  };
  // After an item of an object or a list: true past its closing bracket, false past a comma.
  const closes = (close: "}" | "]"): boolean => {
    ws();
    if (text[i] === ",") {
      i++;
      return false;
    }
    if (text[i] === close) {
      i++;
      return true;
    }
    return fail(`expected ',' or '${close}', ${describe()}`);
  };
  const value = (depth: number): void => {
    if (depth > 500) fail("nesting too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      if (emptyAfterOpening("}")) return;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name, ${describe()}`);
        str();
        ws();
        if (text[i] !== ":") fail(`expected ':', ${describe()}`);
        i++;
        value(depth + 1);
        if (closes("}")) return;
      }
    }
    if (c === "[") {
      if (emptyAfterOpening("]")) return;
      for (;;) {
        value(depth + 1);
        if (closes("]")) return;
      }
    }
    if (c === '"') return str();
    if (c === "t") return lit("true");
    if (c === "f") return lit("false");
    if (c === "n") return lit("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return num();
    fail(describe());
  };
  try {
    value(0);
    ws();
    if (i < n) fail(`unexpected ${JSON.stringify(text[i])} after the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { offset: e.offset, ...lineColumn(text, e.offset), message: e.why };
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      last = k;
    }
  }
  return { line, column: offset - last };
}
