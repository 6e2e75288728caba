/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

// One static build for every EHR: relative asset paths (base "./") let hospital IT serve `dist/`
// from any sub-path, and public/smart-config.json is read at run time, never bundled.
export default defineConfig({
  base: "./",
  plugins: [react()],
  // fhirclient's "pure" mode for the browser bundle: the browser's own fetch and AbortController, no
  // polyfills. Not under Vitest, where Node tests load fhirclient's Node build, which needs them.
  define: { __APP_VERSION__: JSON.stringify(version), ...(process.env.VITEST ? {} : { FHIRCLIENT_PURE: "true" }) },
  resolve: {
    alias: {
      "isomorphic-webcrypto": resolve(import.meta.dirname, "src/shims/webcrypto.ts"),
      // fhirclient's logger would print tokens when localStorage.debug is set: a no-op in the app
      // (src/shims/debug.cjs). Not under Vitest, whose Node-side packages log through the real one.
      ...(process.env.VITEST ? {} : { debug: resolve(import.meta.dirname, "src/shims/debug.cjs") }),
    },
  },
  server: { host: "127.0.0.1", port: Number(process.env.APP_PORT ?? 5173), strictPort: true },
  preview: { host: "127.0.0.1", port: Number(process.env.APP_PORT ?? 5173), strictPort: true },
  build: {
    outDir: "dist",
    sourcemap: false,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, "index.html"),
        launch: resolve(import.meta.dirname, "launch.html"),
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "test/cli/**/*.test.ts", "test/sandbox/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "ui",
          include: ["test/ui/**/*.test.tsx", "test/ui/**/*.test.ts"],
          environment: "jsdom",
          setupFiles: ["test/ui/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
