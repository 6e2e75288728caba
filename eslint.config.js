// ESLint: typescript-eslint's recommended rules, React hooks, and the layers of design.md as import
// rules (arrows point down only). Formatting is Prettier's job (eslint-config-prettier turns off
// the rules that would disagree with it).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Import patterns a layer may not use, with the reason shown in the lint message. */
const layer = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const UI = {
  group: ["**/ui/**", "react", "react-dom", "react/*", "@mui/*", "@emotion/*"],
  message: "src/clinical is pure: no React or UI.",
};
// src/fhir is reached by a relative path ("../fhir", "../../fhir/loader"); "fhir/r4" is @types/fhir.
const SRC_FHIR = "^(\\.\\./)+fhir(/.*)?$";
const FHIR = { regex: `${SRC_FHIR}|^fhirclient(/.*)?$`, message: "src/clinical does no I/O: no src/fhir or fhirclient." };
const WRITEBACK = { group: ["**/writeback", "**/writeback/**"], message: "src/clinical knows nothing of write-back." };
const SESSION = { group: ["**/session/**", "**/cli/**"], message: "Lower layers do not import the app shell or the CLI." };
const NODE = { group: ["node:*"], message: "Browser code: no Node built-ins." };
const DOCUMENTS = [
  {
    group: ["**/ui/**", "react", "react-dom", "react/*", "@mui/*", "@emotion/*"],
    message: "src/documents turns bytes into text: no React or UI.",
  },
  {
    regex: `${SRC_FHIR}|^fhirclient(/.*)?$|^(\\.\\./)+(clinical|writeback|session|cli)(/.*)?$`,
    message: "src/documents is below the app's layers: no src/fhir, src/clinical, src/writeback, src/session or src/cli.",
  },
];
// Browser files: DOMParser, not the Node parser; pdf.js only by import() (`import type` is free).
const DOCUMENTS_BROWSER = [
  { group: ["htmlparser2", "htmlparser2/*", "pdfjs-dist/legacy/*"], message: "Node-only parsers belong in src/documents/node.ts." },
  {
    regex: "^pdfjs-dist$|^pdfjs-dist/build/pdf(\\.min)?\\.mjs$",
    allowTypeImports: true,
    message: "pdf.js is loaded lazily: import() it where a PDF arrives (only `import type` statically).",
  },
];

export default tseslint.config(
  {
    ignores: ["node_modules/", "dist/", "coverage/", "test-artifacts/", "bench-results.json", "**/*.json"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["**/*.tsx", "src/ui/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  // ---- Layers (design.md "Layout") -------------------------------------------------------------
  { files: ["src/clinical/**"], rules: layer([UI, FHIR, WRITEBACK, SESSION, NODE]) },
  {
    files: ["src/writeback/**"],
    rules: layer([
      { group: ["**/ui/**", "react", "@mui/*"], message: "src/writeback is pure: no React or UI." },
      { regex: `${SRC_FHIR}|^fhirclient(/.*)?$`, message: "src/writeback composes; src/fhir sends." },
      SESSION,
      NODE,
    ]),
  },
  {
    files: ["src/fhir/**"],
    rules: layer([
      { group: ["**/ui/**", "react", "@mui/*"], message: "src/fhir talks to the EHR, it renders nothing." },
      {
        group: ["fhirclient", "fhirclient/*"],
        message: "src/fhir takes a client structurally (FhirRequester); only the entries import fhirclient.",
      },
      SESSION,
      NODE,
    ]),
  },
  {
    // Attachment bytes to text: pure but for its parsers; knows nothing of FHIR loading, the rules or the UI.
    files: ["src/documents/**"],
    ignores: ["src/documents/node.ts"],
    rules: layer([...DOCUMENTS, NODE, ...DOCUMENTS_BROWSER]),
  },
  {
    // The CLI's extractor: Node's HTML parser and pdf.js's Node build, nothing of the app's layers.
    files: ["src/documents/node.ts"],
    rules: layer(DOCUMENTS),
  },
  {
    // The UI renders what src/fhir loaded: it makes no FHIR requests of its own.
    files: ["src/ui/**"],
    rules: {
      ...layer([
        {
          group: ["**/fhir/request", "**/fhir/paging", "**/fhir/limiter"],
          message: "src/ui makes no FHIR requests: call the src/fhir entry points.",
        },
        { group: ["**/cli/**"], message: "The UI does not import the CLI." },
        NODE,
      ]),
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='request']", message: "src/ui makes no FHIR requests: use src/fhir." },
        { selector: "CallExpression[callee.name='fetch']", message: "src/ui makes no network requests: use src/fhir." },
      ],
    },
  },
  {
    // Shared by the launch page, the app and the npm scripts (check-config): browser-safe.
    files: ["src/session/**"],
    rules: layer([NODE, { group: ["**/cli/**"], message: "The app shell does not import the CLI." }]),
  },
  {
    files: ["src/cli/**"],
    rules: layer([
      { group: ["**/ui/**", "react", "@mui/*"], message: "The CLI renders no UI." },
      {
        regex: `${SRC_FHIR}|^fhirclient(/.*)?$`,
        message: "The CLI reads exports with src/clinical; it does not talk to an EHR through src/fhir.",
      },
    ]),
  },
  {
    files: ["test/**", "bench/**", "scripts/**", "sandbox/**"],
    rules: { "no-console": "off" },
  },
  {
    // Tests read FHIR JSON of any shape in their assertions.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Medplum's repository and definition APIs are typed loosely; the sandbox adapts them.
    files: ["sandbox/access.ts", "sandbox/definitions.ts", "sandbox/store.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
);
