/**
 * Small node:http helpers: bodies, JSON/HTML/redirect answers, CORS.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const FHIR_JSON = "application/fhir+json; charset=utf-8";
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value), "application/json; charset=utf-8", headers);
}

/**
 * HTML pages of the sandbox: no scripts, so a strict CSP holds. They may be framed by the sandbox's
 * own embedded-launch page (an error page or the patient picker then shows inside it).
 */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  send(res, status, html, "text/html; charset=utf-8", {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(302, { Location: location, "Content-Length": 0, "Cache-Control": "no-store", ...headers });
  res.end();
}

const ALLOWED_HEADERS = "Authorization, Content-Type, Accept, If-None-Exist, If-Match, If-None-Match, Prefer, X-Requested-With";
const EXPOSED_HEADERS = "Location, Content-Location, ETag, Last-Modified, Retry-After, WWW-Authenticate";

/**
 * CORS for a browser app on another origin (the app at :5173, the sandbox at :4010): the request's
 * Origin is echoed (any origin may call, as with the public launcher; tokens, not cookies, protect
 * the data, so no credentials are allowed). Returns true when a preflight was answered.
 */
export function cors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  }
  if (req.method !== "OPTIONS") return false;
  res.writeHead(204, {
    "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
    "Access-Control-Max-Age": "600",
    "Content-Length": 0,
  });
  res.end();
  return true;
}

export function isLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? "";
  return a === "127.0.0.1" || a === "::1" || a === "::ffff:127.0.0.1";
}

/** HTML-escapes text from data (patient names, summaries, parameters) before it enters a page. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
