import http from "node:http";

/**
 * The header the server writes, on every request it receives, with the socket's peer address.
 * Next hands routes and actions headers but no socket, and keeps a client's own
 * X-Forwarded-For; this header is overwritten before Next sees the request, so a client cannot
 * choose its value.
 */
export const PEER_ADDRESS_HEADER = "x-jobboard-peer-address";

const INSTALLED = Symbol.for("jobboard.peer-address-stamp");

type StampedPrototype = http.Server & { [INSTALLED]?: boolean };

/** Whether this process stamps requests: if not, the header is whatever the client wrote. */
export function isStampingPeerAddresses(): boolean {
  return (http.Server.prototype as StampedPrototype)[INSTALLED] === true;
}

/** Stamps PEER_ADDRESS_HEADER on every request of every HTTP server in this process (once). */
export function stampPeerAddresses(): void {
  const proto = http.Server.prototype as StampedPrototype;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request" || event === "checkContinue" || event === "checkExpectation") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  } as typeof proto.emit;
}
