import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { addressProblem, hostProblem, isHostAllowed, type EgressPolicy } from "./policy";

/** How a host name is resolved: the system's resolver, or a test's stand-in for DNS. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

export class EgressRefused extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`Refused to call ${url}: ${reason}. An administrator can allow it with JOBBOARD_EGRESS_ALLOW.`);
    this.name = "EgressRefused";
  }
}

export type GuardedResponse = {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** The body as text: all of it, or, past the read limit, its last `keepTailBytes`. */
  body: string;
  /** The body went past the read limit and was not read to its end. */
  isTruncated: boolean;
};

export type GuardedRequest = {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Stop reading after this many bytes (the rest is never downloaded). */
  maxBodyBytes: number;
  /** What to keep of a body that went past the limit. */
  keepTailBytes: number;
};

/**
 * Resolves the host once, refuses it if any address is forbidden, and connects to the address
 * it checked: a DNS answer that changes between the check and the connection (a rebind) cannot
 * redirect the request. Redirects are never followed (node:http does not).
 */
function pinnedLookup(host: string, policy: EgressPolicy, resolver: Resolver): Promise<LookupAddress> {
  return resolver(host).then((addresses) => {
    if (addresses.length === 0) throw new Error(`${host} did not resolve`);
    if (!isHostAllowed(host, policy)) {
      for (const candidate of addresses) {
        const problem = addressProblem(candidate.address, policy);
        if (problem) throw new EgressRefused(host, `${host} resolves to ${problem}`);
      }
    }
    return addresses[0]!;
  });
}

/** Makes one outbound HTTP(S) request through the egress guard. */
export async function guardedRequest(
  rawUrl: string,
  request: GuardedRequest,
  policy: EgressPolicy,
  resolver: Resolver = systemResolver,
): Promise<GuardedResponse> {
  const url = new URL(rawUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new EgressRefused(rawUrl, "only http and https are allowed");
  if (url.username || url.password) throw new EgressRefused(rawUrl, "credentials in the URL are not allowed");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const nameProblem = hostProblem(host, policy);
  if (nameProblem) throw new EgressRefused(rawUrl, nameProblem);

  let pinned: LookupAddress;
  if (isIP(host)) {
    const problem = isHostAllowed(host, policy) ? null : addressProblem(host, policy);
    if (problem) throw new EgressRefused(rawUrl, problem);
    pinned = { address: host, family: isIP(host) };
  } else {
    pinned = await pinnedLookup(host, policy, resolver);
  }
  // The socket connects to the address checked above, whatever DNS says by then.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (error: null, addresses: LookupAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };

  const transport = url.protocol === "https:" ? https : http;
  return new Promise<GuardedResponse>((resolve, reject) => {
    const outgoing = transport.request(
      url,
      { method: request.method, headers: request.headers, lookup, signal: request.signal, servername: isIP(host) ? undefined : host, agent: false },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let isTruncated = false;
        incoming.on("data", (chunk: Buffer) => {
          if (isTruncated) return;
          chunks.push(chunk);
          size += chunk.byteLength;
          if (size > request.maxBodyBytes) {
            // Enough: an endless body must not fill memory. Keep its tail, drop the connection.
            isTruncated = true;
            incoming.destroy();
            finish();
          }
        });
        const finish = () => {
          const all = Buffer.concat(chunks);
          const kept = isTruncated ? all.subarray(Math.max(0, all.byteLength - request.keepTailBytes)) : all;
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? "",
            headers: incoming.headers,
            body: kept.toString("utf8"),
            isTruncated,
          });
        };
        incoming.on("end", finish);
        incoming.on("error", (error) => (isTruncated ? undefined : reject(error)));
      },
    );
    outgoing.on("error", reject);
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}
