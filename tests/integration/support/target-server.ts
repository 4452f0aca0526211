import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Recorded = { path: string; method: string; body: string; aborted: boolean };

/**
 * A real HTTP server standing in for what jobs call and for Slack's incoming webhook. Routes
 * are plain node handlers; every request is recorded, including whether the caller hung up.
 */
export async function startTargetServer(routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void>) {
  const requests: Recorded[] = [];
  const waiters: Array<{ path: string; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const record: Recorded = { path, method: req.method ?? "GET", body: Buffer.concat(chunks).toString("utf8"), aborted: false };
      requests.push(record);
      res.on("close", () => {
        if (!res.writableFinished) record.aborted = true;
      });
      for (const waiter of waiters.filter((w) => w.path === path)) waiter.resolve();
      const route = routes[path];
      if (route) route(req, res, record.body);
      else res.writeHead(404).end("no such route");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** Resolves when the next request for `path` arrives. */
    nextRequest: (path: string) => new Promise<void>((resolve) => waiters.push({ path, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
