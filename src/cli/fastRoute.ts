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
 */
import { patientIdOf } from "./flatten";

const TYPE_AT = /"resourceType"\s*:\s*"([A-Z][A-Za-z]+)"/y;
const REF_AT = /"(?:subject|patient)"\s*:\s*\{\s*"reference"\s*:\s*"([\x20\x23-\x5b\x5d-\x7e]*)"/y;

/** Where `needle` occurs, if exactly once; null if never; undefined if more (forward searches: V8's indexOf is the fast one). */
function once(line: string, needle: string): number | null | undefined {
  const first = line.indexOf(needle);
  if (first < 0) return null;
  return line.indexOf(needle, first + needle.length) < 0 ? first : undefined;
}

/**
 * The patient id the resource on this line (UTF-8 bytes) belongs to, or undefined when only
 * parsing can tell. The bytes are read as Latin-1 (one byte, one character: no decoding cost);
 * JSON's structure is ASCII, and the reference is accepted only when it is printable ASCII
 * without quote or backslash, where both readings agree.
 */
export function fastPatientId(bytes: Buffer): string | undefined {
  const line = bytes.toString("latin1");
  if (line.includes('"contained"')) return undefined;
  const typeAt = once(line, '"resourceType"');
  if (typeof typeAt !== "number") return undefined;
  TYPE_AT.lastIndex = typeAt;
  const type = TYPE_AT.exec(line)?.[1];
  if (!type || type === "Patient" || type === "Bundle") return undefined;
  const subject = once(line, '"subject"');
  const patient = once(line, '"patient"');
  if (subject === undefined || patient === undefined) return undefined;
  const at = subject ?? patient;
  if (at === null || (subject !== null && patient !== null)) return undefined;
  const before = line.charCodeAt(at - 1);
  // '{' ',' space tab CR LF
  if (!(before === 123 || before === 44 || before === 32 || before === 9 || before === 13 || before === 10)) return undefined;
  REF_AT.lastIndex = at;
  const ref = REF_AT.exec(line)?.[1];
  return ref === undefined ? undefined : (patientIdOf(ref) ?? undefined);
}
