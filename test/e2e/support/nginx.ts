/**
 * The built app served by a real nginx (Debian's package) with the configuration the README shows
 * ("Security headers"): its `location` block is read from README.md, so the two cannot drift, and
 * the headers file it includes is written by the generator `npm run security-headers` prints with.
 *
 * nginx runs as a child process in the foreground (daemon off), on 127.0.0.1 only, with its own
 * prefix, pid file and temp folders in a temp folder, and is stopped by close().
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { nginxHeaderLines } from "../../../src/session/security-headers";

/** Where the README's sample puts the build; replaced by the folder served here. */
const README_ROOT = "/srv/calcinosis/dist/";

export interface ReadmeNginxSample {
  /** The `location` block, as printed. */
  block: string;
  /** Its prefix, e.g. "/calcinosis/". */
  basePath: string;
  /** The file it includes (relative to nginx's configuration folder), e.g. "snippets/calcinosis-headers.conf". */
  include: string;
  /** The shell command that writes that file. */
  command: string;
}

/** The nginx sample of README.md's "Security headers" section. */
export function readmeNginxSample(readme = readFileSync("README.md", "utf8")): ReadmeNginxSample {
  const start = readme.indexOf("### Security headers");
  const section = readme.slice(start, readme.indexOf("\n## ", start));
  const block = /```nginx\n([\s\S]*?)```/.exec(section)?.[1];
  const command = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (start === -1 || !block || !command) throw new Error('README.md: no ```sh and ```nginx sample in "### Security headers"');
  const basePath = /^location\s+(\/\S*\/)\s*\{/m.exec(block)?.[1];
  const includes = [...new Set([...block.matchAll(/^\s*include\s+(\S+);/gm)].map((m) => m[1]))];
  if (!basePath || includes.length !== 1 || !block.includes(`alias ${README_ROOT};`)) {
    throw new Error(`README.md: the nginx sample needs one "location /…/ {", "alias ${README_ROOT};" and one included headers file`);
  }
  return { block, basePath, include: includes[0], command };
}

/** nginx from NGINX_PATH, Debian's /usr/sbin/nginx, or the PATH; a clear error when there is none. */
export function findNginx(
  candidates = [process.env.NGINX_PATH, "/usr/sbin/nginx", ...(process.env.PATH ?? "").split(":").map((dir) => join(dir, "nginx"))],
): string {
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next candidate
    }
  }
  throw new Error(
    "nginx is not installed: the end-to-end tests serve the build through nginx with the README's configuration. " +
      "Install Debian's package (apt-get install -y nginx; .ci/run does it), or set NGINX_PATH.",
  );
}

export interface NginxSite {
  /** http://localhost:<port> */
  origin: string;
  /** origin + the README's location, ending in "/": where launch.html and index.html live. */
  appUrl: string;
  close(): Promise<void>;
}

async function waitUntilServing(origin: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx stopped at start (exit ${child.exitCode}): ${log().trim()}`);
    try {
      await fetch(origin, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not answer on ${origin} within 15 s: ${log().trim()}`);
}

/** Serves `siteDir` (a copy of dist/) on 127.0.0.1:`port` with the README's location block and these headers. */
export async function serveWithNginx(options: { siteDir: string; port: number; headers: Record<string, string> }): Promise<NginxSite> {
  const binary = findNginx();
  const sample = readmeNginxSample();
  const prefix = mkdtempSync(join(tmpdir(), "calcinosis-nginx-"));
  // Run as root, nginx's workers drop to "nobody", which must read the site and this folder.
  chmodSync(prefix, 0o755);
  const headersFile = join(prefix, sample.include);
  mkdirSync(dirname(headersFile), { recursive: true });
  writeFileSync(headersFile, nginxHeaderLines(options.headers));
  mkdirSync(join(prefix, "temp"));
  const temp = (name: string) => join(prefix, "temp", name);
  const location = sample.block.replace(`alias ${README_ROOT};`, `alias ${options.siteDir.replace(/\/?$/, "/")};`);
  writeFileSync(
    join(prefix, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${join(prefix, "nginx.pid")};
error_log stderr warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path ${temp("body")};
    proxy_temp_path ${temp("proxy")};
    fastcgi_temp_path ${temp("fastcgi")};
    uwsgi_temp_path ${temp("uwsgi")};
    scgi_temp_path ${temp("scgi")};
    server {
        listen 127.0.0.1:${options.port};
        server_name localhost;
${location.replace(/^/gm, "        ")}
    }
}
`,
  );
  let log = "";
  const child = spawn(binary, ["-p", `${prefix}/`, "-c", join(prefix, "nginx.conf"), "-e", "stderr"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://localhost:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM"); // nginx's fast shutdown: the master stops its workers, then exits
      const forced = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(forced);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(origin, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, appUrl: `${origin}${sample.basePath}`, close: stop };
}
