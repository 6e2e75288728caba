import { createServer } from "node:net";

/**
 * A port free on 127.0.0.1 right now, for a server that cannot be told to pick one itself (nginx,
 * a child process that prints its URL from the port it was given). The caller binds it at once.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
