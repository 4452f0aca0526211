// A real HTTP server standing in for Slack's incoming webhooks, one path per workspace, on the
// simulated clock: it notes when each message came, and answers 503 while Slack is "down".
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Span = { from: number; to: number };
export type Received = { workspace: number; jobKey: string; at: number };

export async function startSlackStandIn(outages: Span[]) {
  const received: Received[] = [];
  let now = 0;
  let refused = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (outages.some((span) => span.from <= now && now < span.to)) {
        refused++;
        response.writeHead(503).end("service unavailable");
        return;
      }
      const workspace = Number(/^\/hooks\/(\d+)$/.exec(request.url ?? "")?.[1] ?? -1);
      // A job's message has its key in backticks; an agent's starts "Agent <name>".
      const text = Buffer.concat(chunks).toString("utf8");
      const jobKey = /`([^`]+)`/.exec(text)?.[1] ?? /"text":":[a-z_]+: Agent (\S+) /.exec(text)?.[1] ?? "";
      received.push({ workspace, jobKey, at: now });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    received,
    /** How many sends it refused while down. */
    refused: () => refused,
    webhookFor: (workspace: number) => `${url}/hooks/${workspace}`,
    /** The simulated time, for what arrives next. */
    setClock: (at: number) => {
      now = at;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SlackStandIn = Awaited<ReturnType<typeof startSlackStandIn>>;
