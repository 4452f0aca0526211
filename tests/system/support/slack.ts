import { createServer, type Server } from "node:http";
import { freePort } from "./app-server";

export type SlackMessage = { text: string; blocks: Array<Record<string, unknown>> };

/**
 * A real HTTP server standing in for Slack's incoming webhook, on a fixed loopback port so it
 * can go down (nothing listening: connection refused, as in an outage) and come back.
 */
export async function startSlackStandIn() {
  const port = await freePort();
  const messages: SlackMessage[] = [];
  let server: Server | undefined;

  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          messages.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as SlackMessage);
          res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        });
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
      server = undefined;
    });

  await up();
  return {
    webhookUrl: `http://127.0.0.1:${port}/services/T000/B000/standin`,
    messages,
    /** The messages whose context names this job key. */
    about: (jobKey: string) => messages.filter((message) => JSON.stringify(message.blocks).includes(`\`${jobKey}\``)),
    up,
    down,
  };
}
