/**
 * Deterministic identifiers for written-back resources.
 *
 * Choice: SHA-256, in a small pure implementation (below), over a canonical JSON array of the
 * inputs. Why not Web Crypto: `crypto.subtle.digest` is asynchronous, and composition must stay
 * synchronous and pure (the same function runs in the browser, in Node and in tests). Why not a
 * 64-bit FNV-1a: the identifier is the only thing that stops a retry from duplicating a record in
 * the EHR, so it must not collide across patients and findings; 64 bits would do in practice, 256
 * bits make it a non-question, and the cost (a few microseconds per resource) is irrelevant.
 *
 * What goes into a hash (see `findingKey`): the resource kind, the patient id, the rule id, the
 * ruleset id and version, and the sorted, de-duplicated evidence references. Not the date, not the
 * app version, not the wording of a sentence: the same finding on the same evidence always gets the
 * same identifier, whenever and from wherever it is sent.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** UTF-8 bytes of a string (TextEncoder exists in every browser and in Node). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** SHA-256 of bytes, as 32 bytes. FIPS 180-4; checked against its test vectors in the unit tests. */
export function sha256(data: Uint8Array): Uint8Array {
  const bitLength = data.length * 8;
  const paddedLength = Math.ceil((data.length + 9) / 64) * 64;
  const bytes = new Uint8Array(paddedLength);
  bytes.set(data);
  bytes[data.length] = 0x80;
  const view = new DataView(bytes.buffer);
  // Message length in bits as a 64-bit big-endian integer (high word first).
  view.setUint32(paddedLength - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(paddedLength - 4, bitLength >>> 0);

  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i] + w[i]) >>> 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0] + a) >>> 0;
    h[1] = (h[1] + b) >>> 0;
    h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0;
    h[5] = (h[5] + f) >>> 0;
    h[6] = (h[6] + g) >>> 0;
    h[7] = (h[7] + hh) >>> 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** SHA-256 of the UTF-8 text, lower-case hex (64 characters). */
export function sha256Hex(text: string): string {
  return toHex(sha256(utf8(text)));
}

/** Evidence in canonical order: trimmed, de-duplicated, sorted (order of discovery must not matter). */
export function canonicalEvidence(evidence: readonly string[] | undefined): string[] {
  return [...new Set((evidence ?? []).map((ref) => ref.trim()).filter((ref) => ref.length > 0))].sort();
}

export interface FindingKeyInput {
  /** What is identified: "DocumentReference", "DetectedIssue", "finding", … */
  kind: string;
  patientId: string;
  /** The rule id, or a stable label for a composite ("note", "condition", "provenance"). */
  rule: string;
  rulesetId: string;
  rulesetVersion: string;
  evidence: readonly string[];
  /** Extra discriminator when one rule yields several items (e.g. a gap's requested code). */
  qualifier?: string;
}

/**
 * The deterministic hash of one finding: a 64-character hex SHA-256 over a canonical JSON array.
 * JSON.stringify of an array of strings is unambiguous (no separator can be forged by content).
 */
export function findingKey(input: FindingKeyInput): string {
  return sha256Hex(
    JSON.stringify([
      "calcinosis-writeback/v1",
      input.kind,
      input.patientId,
      input.rule,
      input.rulesetId,
      input.rulesetVersion,
      input.qualifier ?? "",
      ...canonicalEvidence(input.evidence),
    ]),
  );
}

/** The identifier system under the app's own URL: `<appUrl>/fhir/finding` (no double slash). */
export function identifierSystem(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}/fhir/finding`;
}

/** Code system for rule ids, under the app's own URL. */
export function ruleCodeSystem(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}/fhir/CodeSystem/pc-ssc-rule`;
}

/**
 * A UUID-formatted string derived from a hash (RFC 9562 version 8, "custom"): the same resource
 * always gets the same `urn:uuid:` fullUrl, so a composed set is byte-for-byte reproducible.
 */
export function uuidFromHash(hex: string): string {
  const h = hex.padEnd(32, "0").slice(0, 32).split("");
  h[12] = "8"; // version 8
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16); // variant 10xx
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Base64 of UTF-8 text, pure (btoa only takes Latin-1; Buffer is Node-only). */
export function base64Utf8(text: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const bytes = utf8(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? alphabet[n & 63] : "=";
  }
  return out;
}

/** Inverse of base64Utf8 (used by tests and the result viewer to read a note back). */
export function decodeBase64Utf8(data: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const clean = data.replace(/[^A-Za-z0-9+/]/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      (alphabet.indexOf(clean[i]) << 18) |
      (alphabet.indexOf(clean[i + 1]) << 12) |
      ((i + 2 < clean.length ? alphabet.indexOf(clean[i + 2]) : 0) << 6) |
      (i + 3 < clean.length ? alphabet.indexOf(clean[i + 3]) : 0);
    bytes.push((n >> 16) & 255);
    if (i + 2 < clean.length) bytes.push((n >> 8) & 255);
    if (i + 3 < clean.length) bytes.push(n & 255);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
