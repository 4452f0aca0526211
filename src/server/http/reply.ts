import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A machine route's answer before it is written, so one handler serves a route handler (as a
 * Response) and a Node route (written straight to the socket, without web streams).
 */
export type Reply = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

/** The request headers a handler reads: a Fetch `Headers`, or a Node request's through nodeHeaders. */
export type RequestHeaders = { get(name: string): string | null };

export function jsonReply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { "cache-control": "no-store", ...headers } };
}

/** `{error, field?}`, the shape of every refusal. */
export function errorReply(status: number, error: string, field?: string, headers?: Record<string, string>): Reply {
  return jsonReply(status, field ? { error, field } : { error }, headers);
}

export function toResponse(reply: Reply): Response {
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...reply.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function nodeHeaders(request: IncomingMessage): RequestHeaders {
  return {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * A Node request's body, abandoned past `limit` (a declared Content-Length over it is refused
 * before any byte is read): null when it is larger. The caller answers with `connection: close`
 * then, so the rest is never read.
 */
export function readNodeBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(request.headers["content-length"] ?? "0") > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData).off("end", onEnd).off("error", reject);
      // A client that gives up later must not become an unhandled error once nobody listens.
      request.on("error", () => {});
      // Not destroyed: that would take the socket, and the answer with it.
      request.pause();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      resolve(null);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    request.on("data", onData).on("end", onEnd).on("error", reject);
  });
}
