// fhirclient logs through the `debug` package, which prints to the console whenever
// `localStorage.debug` matches "FHIR*": the token response, refresh token and authorization code
// included. The browser build maps `debug` to this no-op (vite.config.ts, resolve.alias), so nothing
// of a session can reach the console, whatever a user or an extension sets; the bundle is smaller too.
// CommonJS, like the package it replaces: fhirclient calls `require("debug")(namespace)`.
"use strict";

function createDebug(namespace) {
  const log = function () {};
  log.namespace = namespace;
  log.enabled = false;
  log.extend = (more) => createDebug(`${namespace}:${more}`);
  return log;
}

createDebug.enable = () => {};
createDebug.disable = () => "";
createDebug.enabled = () => false;

module.exports = createDebug;
