/**
 * The patient of one NDJSON line without parsing it: the first pass only needs to know which
 * temporary bucket a line goes to, and a full JSON.parse there would double the parsing cost of
 * the run. The answer is given only when the text leaves no doubt; otherwise undefined, and the
 * line is parsed. The second pass parses every line anyway and checks the answer (see
 * assessBucket.ts), so a wrong guess cannot go unnoticed.
 *
 * Why the text leaves no doubt: inside a JSON string every '"' is escaped, so a '"subject"' whose
 * opening quote follows '{', ',' or white space is a property name. When the line has exactly one
 * such name among "subject" and "patient" (and no contained resources, which have their own),
 * it is the top-level one if the resource has one at all; the check in the second pass catches
 * the rest (a nested one with no top-level one, duplicate keys).
 *
 * The line is read as bytes, never decoded: JSON's structure is ASCII, and a reference is taken
 * only when it is printable ASCII without quote or backslash, where bytes and characters agree.
 * One loop over the bytes finds every name at once: decoding the line and searching it once per
 * name cost about as much as parsing it (each search sets up its own tables).
 */
import { patientIdOf } from "./flatten";

const CONTAINED = Buffer.from('"contained"');
const RESOURCE_TYPE = Buffer.from('"resourceType"');
const SUBJECT = Buffer.from('"subject"');
const PATIENT = Buffer.from('"patient"');
const REFERENCE = Buffer.from('"reference"');
const NOT_ROUTED = [Buffer.from('"Patient"'), Buffer.from('"Bundle"')];

const QUOTE = 34;
const isSpace = (c: number | undefined) => c === 32 || c === 9 || c === 13 || c === 10;

/** `word` (ASCII bytes) at `at`? (Its last byte first: most candidates differ in length.) */
function startsAt(line: Buffer, at: number, word: Buffer): boolean {
  const last = word.length - 1;
  if (line.length - at <= last || line[at + last] !== word[last]) return false;
  for (let k = 0; k < last; k++) if (line[at + k] !== word[k]) return false;
  return true;
}

/** The first byte at or after `at` that is not white space. */
function skipSpace(line: Buffer, at: number): number {
  while (isSpace(line[at])) at++;
  return at;
}

/** After a property name ending before `at`: the position after its ':' and white space, or -1. */
function afterColon(line: Buffer, at: number): number {
  at = skipSpace(line, at);
  return line[at] === 58 ? skipSpace(line, at + 1) : -1;
}

/** The resource type's value starts at `at`: a routable type ([A-Z][A-Za-z]+, not Patient or Bundle)? */
function routableType(line: Buffer, at: number): boolean {
  if (line[at] !== QUOTE || NOT_ROUTED.some((word) => startsAt(line, at, word))) return false;
  let end = at + 1;
  if (!(line[end]! >= 65 && line[end]! <= 90)) return false;
  for (end++; end < line.length && line[end] !== QUOTE; end++) {
    const c = line[end]!;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return end > at + 2 && line[end] === QUOTE;
}

/** `{ "reference": "<printable ASCII, no quote or backslash>"` at `at`: the reference, or undefined. */
function referenceAt(line: Buffer, at: number): string | undefined {
  if (line[at] !== 123) return undefined;
  at = skipSpace(line, at + 1);
  if (!startsAt(line, at, REFERENCE)) return undefined;
  at = afterColon(line, at + REFERENCE.length);
  if (at < 0 || line[at] !== QUOTE) return undefined;
  const start = at + 1;
  for (let end = start; end < line.length; end++) {
    const c = line[end]!;
    if (c === QUOTE) return line.toString("latin1", start, end);
    if (c < 0x20 || c > 0x7e || c === 92) return undefined;
  }
  return undefined;
}

/** The patient id the resource on this line (UTF-8 bytes) belongs to, or undefined when only parsing can tell. */
export function fastPatientId(line: Buffer): string | undefined {
  // Every quoted name among the four, anywhere in the line (a plain loop: no object per line).
  let typeAt = -1;
  let types = 0;
  let nameAt = -1;
  let names = 0;
  for (let i = 0, n = line.length; i < n; i++) {
    if (line[i] !== QUOTE) continue;
    const c = line[i + 1];
    if (c === 99 && startsAt(line, i, CONTAINED)) return undefined;
    if (c === 114 && startsAt(line, i, RESOURCE_TYPE)) {
      typeAt = i;
      types++;
    } else if ((c === 115 && startsAt(line, i, SUBJECT)) || (c === 112 && startsAt(line, i, PATIENT))) {
      nameAt = i;
      names++;
    }
  }
  if (types !== 1 || names !== 1) return undefined;
  const typeValue = afterColon(line, typeAt + RESOURCE_TYPE.length);
  if (typeValue < 0 || !routableType(line, typeValue)) return undefined;
  const before = line[nameAt - 1];
  if (!(before === 123 || before === 44 || isSpace(before))) return undefined;
  // "subject" and "patient" are both nine bytes long.
  const value = afterColon(line, nameAt + SUBJECT.length);
  const ref = value < 0 ? undefined : referenceAt(line, value);
  return ref === undefined ? undefined : (patientIdOf(ref) ?? undefined);
}
