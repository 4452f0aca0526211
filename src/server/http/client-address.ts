import { getEnv } from "@/lib/env";
import { PEER_ADDRESS_HEADER, isStampingPeerAddresses } from "./peer-address";

/**
 * The client's address, for per-address limits. Only what the server can trust counts: the
 * socket's peer (stamped on each request by the server itself), unless JOBBOARD_TRUSTED_PROXY_HOPS
 * says that many proxies in front append to X-Forwarded-For, or Vercel's edge, which writes its
 * own header, serves the app. Whatever a client writes in a header is never taken on its word.
 */
export function clientAddress(headers: Headers): string {
  const env = getEnv();
  if (env.VERCEL === "1") {
    const vercel = headers.get("x-vercel-forwarded-for")?.split(",")[0]?.trim();
    if (vercel) return vercel;
  }
  const peer = (isStampingPeerAddresses() && headers.get(PEER_ADDRESS_HEADER)?.trim()) || "unknown";
  const hops = env.JOBBOARD_TRUSTED_PROXY_HOPS ?? 0;
  if (hops === 0) return peer;
  // Each trusted proxy appends the address it was called from; the client is the entry the
  // nearest `hops` proxies vouch for (counting the socket's peer as the last of them).
  const chain = [...(headers.get("x-forwarded-for")?.split(",").map((part) => part.trim()).filter(Boolean) ?? []), peer];
  return chain[Math.max(0, chain.length - 1 - hops)]!;
}
