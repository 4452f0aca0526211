import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type Handler = (request: Request) => Promise<Response>;
export type TestServer = { url: string; close: () => Promise<void> };

function toRequest(message: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = message.method !== "GET" && message.method !== "HEAD";
  return new Request(new URL(message.url ?? "/", origin), {
    method: message.method,
    headers,
    body: hasBody ? (Readable.toWeb(message) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

/**
 * Serves web-standard route handlers (the same functions Next's route files export) over real
 * HTTP on a loopback port, so tests, the CLI and the Python reporter talk to them over the wire.
 */
export async function serveHandlers(routes: Record<string, Handler>): Promise<TestServer> {
  let origin = "";
  const server: Server = createServer((message, response) => {
    const path = new URL(message.url ?? "/", "http://localhost").pathname;
    // "/prefix/*" serves every path under /prefix/, as a catch-all route does.
    const handler = routes[path] ?? Object.entries(routes).find(([route]) => route.endsWith("/*") && path.startsWith(route.slice(0, -1)))?.[1];
    const respond = async () => {
      const result = handler ? await handler(toRequest(message, origin)) : new Response("not found", { status: 404 });
      const headers = Object.fromEntries(result.headers.entries());
      // A handler that answered without reading the whole body (413) leaves the socket unusable.
      if (!message.complete) headers.connection = "close";
      response.writeHead(result.status, headers);
      response.end(Buffer.from(await result.arrayBuffer()));
    };
    respond().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
