/**
 * The id_token: an ES256 JWT with a key pair made at start-up (EC keys take ~1 ms to generate;
 * RSA would cost ~100 ms of start-up). The public key is served as a JWKS, so the token is
 * verifiable, as `sso-openid-connect` promises.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

export interface Signer {
  sign(payload: Record<string, unknown>): string;
  jwks(): { keys: object[] };
}

export function createSigner(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = createHash("sha256")
    .update(publicKey.export({ format: "der", type: "spki" }))
    .digest("base64url")
    .slice(0, 16);
  return {
    sign: (payload) => signJwt(payload, privateKey, kid),
    jwks: () => ({ keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" }] }),
  };
}

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = encode({ alg: "ES256", typ: "JWT", kid });
  const body = encode(payload);
  const signature = sign("sha256", Buffer.from(`${header}.${body}`), { key, dsaEncoding: "ieee-p1363" });
  return `${header}.${body}.${signature.toString("base64url")}`;
}

/**
 * base64url of JSON in which '>', '?', '~' and non-ASCII are \u-escaped (still the same JSON).
 * For ASCII input, only those bytes can produce the base64url characters '-' and '_', so the
 * encoding then equals plain base64 without padding: fhirclient decodes id_token payloads with the
 * browser's atob(), which rejects '-' and '_'.
 */
function encode(value: unknown): string {
  const json = JSON.stringify(value).replace(/[>?~\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return Buffer.from(json).toString("base64url");
}

/** A URL-safe random string (codes and tokens; fhirclient puts the code in a body unencoded). */
export function randomId(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
