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

/** jsonReply as a Fetch Response, for route handlers. */
export const jsonResponse = (status: number, body: Record<string, unknown>, headers?: Record<string, string>): Response =>
  toResponse(jsonReply(status, body, headers));

/** errorReply as a Fetch Response, for route handlers. */
export const errorResponse = (status: number, error: string, field?: string, headers?: Record<string, string>): Response =>
  toResponse(errorReply(status, error, field, headers));

/** How long a client waits before trying again while the database is down. */
export const RETRY_AFTER = { "retry-after": "5" } as const;

/** The one 5xx a machine route gives on purpose: the database cannot be reached, try again soon. */
export const databaseUnavailableReply = (): Reply => errorReply(503, "Jobboard's database is unavailable; retry shortly", undefined, RETRY_AFTER);

/** 405 naming the methods the route does answer. */
export const methodNotAllowedReply = (allow: string, error: string): Reply => errorReply(405, error, undefined, { allow });

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

/** How much of a refused body is read and dropped before its connection is cut instead. */
const DISCARDED_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what is left of a refused body. Closing a socket with unread bytes in it resets
 * the connection, and a client still sending then meets the reset instead of its answer; a body
 * that runs on past the bound loses its connection anyway.
 */
function discardRest(request: IncomingMessage): void {
  let dropped = 0;
  request.on("error", () => {});
  request.on("data", (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > DISCARDED_BYTES) request.socket.destroy();
  });
}

/**
 * A Node request's body, or null past `limit` (a declared Content-Length over it is refused
 * before any byte is kept). The rest of a refused body is read and dropped while the answer goes
 * out, so the client reads the answer and the connection can serve its next request.
 */
export function readNodeBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(request.headers["content-length"] ?? "0") > limit) {
    discardRest(request);
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) return void chunks.push(chunk);
      request.off("data", onData).off("end", onEnd).off("error", reject);
      discardRest(request);
      resolve(null);
    };
    const onEnd = () => {
      request.off("data", onData).off("end", onEnd).off("error", reject);
      resolve(Buffer.concat(chunks));
    };
    request.on("data", onData).on("end", onEnd).on("error", reject);
  });
}
