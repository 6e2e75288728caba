/**
 * The backend client's key: a private key (PEM, or a JWK with `d`) whose public half is
 * registered with the EHR as a JWKS. RSA keys sign RS384, EC P-384 keys ES384 (SMART Backend
 * Services). `npm run screen -- keygen` makes a pair and the JWKS to register.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

export type Alg = "RS384" | "ES384";

export interface SigningKey {
  key: KeyObject;
  alg: Alg;
  kid: string;
}

export class KeyError extends Error {}

/** RFC 7638 thumbprint: a stable kid from the public key alone. */
export function thumbprint(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: "jwk" }) as Record<string, string>;
  const members = jwk.kty === "RSA" ? { e: jwk.e, kty: "RSA", n: jwk.n } : { crv: jwk.crv, kty: "EC", x: jwk.x, y: jwk.y };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

function algOf(key: KeyObject, file: string): Alg {
  if (key.asymmetricKeyType === "rsa") {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new KeyError(`${file}: RSA key shorter than 2048 bits`);
    return "RS384";
  }
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "secp384r1") return "ES384";
  throw new KeyError(`${file}: the key must be RSA (RS384) or EC P-384 (ES384), not ${key.asymmetricKeyType ?? "unknown"}`);
}

export function loadSigningKey(file: string, kid?: string): SigningKey {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new KeyError(`${file}: cannot read the private key`);
  }
  let key: KeyObject;
  let jwkKid: string | undefined;
  try {
    if (text.trimStart().startsWith("{")) {
      const jwk = JSON.parse(text) as { kid?: string; d?: string };
      if (!jwk.d) throw new KeyError(`${file}: this JWK has no private part ("d"): give the private key`);
      jwkKid = jwk.kid;
      key = createPrivateKey({ key: jwk as never, format: "jwk" });
    } else {
      key = createPrivateKey(text);
    }
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError(`${file}: not a PEM or JWK private key`);
  }
  return { key, alg: algOf(key, file), kid: kid ?? jwkKid ?? thumbprint(key) };
}

/** A new key pair: the private key as PKCS#8 PEM and the public JWKS to register. */
export function generateKey(alg: Alg): { privatePem: string; jwks: { keys: object[] }; kid: string } {
  const { privateKey, publicKey } =
    alg === "RS384" ? generateKeyPairSync("rsa", { modulusLength: 3072 }) : generateKeyPairSync("ec", { namedCurve: "P-384" });
  const kid = thumbprint(privateKey);
  const jwk = { ...(publicKey.export({ format: "jwk" }) as object), kid, alg, use: "sig", key_ops: ["verify"] };
  return { privatePem: privateKey.export({ format: "pem", type: "pkcs8" }) as string, jwks: { keys: [jwk] }, kid };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** A signed compact JWT. */
export function signJwt(claims: Record<string, unknown>, k: SigningKey): string {
  const head = `${b64({ alg: k.alg, kid: k.kid, typ: "JWT" })}.${b64(claims)}`;
  const options = k.alg === "ES384" ? { key: k.key, dsaEncoding: "ieee-p1363" as const } : k.key;
  return `${head}.${sign("sha384", Buffer.from(head), options).toString("base64url")}`;
}
