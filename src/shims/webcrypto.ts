// fhirclient falls back to `isomorphic-webcrypto` only where `globalThis.crypto` is missing; every
// browser we support has Web Crypto, so the bundle maps that package to the built-in object
// instead of shipping several polyfill libraries (see vite.config.ts, resolve.alias).
export default globalThis.crypto;
