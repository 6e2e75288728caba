import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface StaticServer {
  origin: string;
  /** Origin plus base path, ending in "/": where launch.html and index.html live. */
  appUrl: string;
  close(): Promise<void>;
}

/**
 * Serves the built app like a hospital's web server would: static files from `dist/`, optionally
 * under a sub-path, with the headers a deployment sends. Loopback only.
 */
export async function serveStatic(
  root: string,
  options: { basePath?: string; headers?: Record<string, string> } = {},
): Promise<StaticServer> {
  const base = (options.basePath ?? "/").replace(/\/?$/, "/");
  const rootDir = resolve(root);
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    if (!path.startsWith(base)) {
      response.writeHead(404).end("not found");
      return;
    }
    const relative = normalize(path.slice(base.length) || "index.html");
    const file = join(rootDir, relative);
    if (!file.startsWith(rootDir)) {
      response.writeHead(403).end("forbidden");
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...options.headers,
      });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const origin = `http://localhost:${port}`;
  return {
    origin,
    appUrl: `${origin}${base}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
