/**
 * The browser's PDF worker: pdf.js's own worker script, bundled by Vite as a separate file (a
 * `new Worker(new URL(...))` entry), so it is same-origin under `script-src 'self'`, needs no CDN,
 * and is downloaded only when browser.ts starts it for the first PDF.
 */
import "pdfjs-dist/build/pdf.worker.min.mjs";
