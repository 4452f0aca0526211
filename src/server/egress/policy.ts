import { BlockList, isIP } from "node:net";

// Addresses no tenant's request may reach: this machine, the private networks around it, and
// the cloud metadata services on link-local addresses.
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  // IPv4-mapped addresses (::ffff:a.b.c.d) are refused by addressProblem itself: a BlockList
  // rule for them would match every plain IPv4 address too.
  ["64:ff9b::", 96], // NAT64
  ["fc00::", 7], // ULA
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, "ipv6");
}

const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"]);

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

export type EgressPolicy = {
  /** Hosts (exact, case-insensitive) and CIDRs or addresses that may be reached anyway. */
  allowHosts: Set<string>;
  allowNetworks: BlockList;
  /** The embedded development default: this machine is where a developer's targets are. */
  allowLoopback: boolean;
};

/** Parses JOBBOARD_EGRESS_ALLOW: a comma list of hosts, addresses and CIDRs. */
export function parseEgressAllow(text: string | undefined, allowLoopback = false): EgressPolicy {
  const allowHosts = new Set<string>();
  const allowNetworks = new BlockList();
  for (const raw of (text ?? "").split(",")) {
    const item = raw.trim().toLowerCase().replace(/^\[|\]$/g, "");
    if (!item) continue;
    const [address, prefix] = item.split("/");
    const family = isIP(address ?? "");
    if (family) {
      const type = family === 4 ? "ipv4" : "ipv6";
      if (prefix === undefined) allowNetworks.addAddress(address!, type);
      else allowNetworks.addSubnet(address!, Number(prefix), type);
    } else {
      allowHosts.add(item);
    }
  }
  return { allowHosts, allowNetworks, allowLoopback };
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), if it is one. */
function mappedIPv4(address: string): string | null {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : null;
}

function familyOf(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 4 ? "ipv4" : "ipv6";
}

/** Whether the host is named in the allow-list (then any address it resolves to is fine). */
export function isHostAllowed(host: string, policy: EgressPolicy): boolean {
  return policy.allowHosts.has(host.toLowerCase().replace(/^\[|\]$/g, ""));
}

/** Why a host name may not be used at all (metadata services), or null. */
export function hostProblem(host: string, policy: EgressPolicy): string | null {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (isHostAllowed(name, policy)) return null;
  if (METADATA_NAMES.has(name)) return `${host} is a cloud metadata service`;
  return null;
}

/** Why an address may not be reached, or null when it may. */
export function addressProblem(address: string, policy: EgressPolicy): string | null {
  const inner = mappedIPv4(address);
  const checked = inner ?? address;
  const family = familyOf(checked);
  if (policy.allowNetworks.check(checked, family)) return null;
  if (policy.allowLoopback && LOOPBACK.check(checked, family)) return null;
  if (inner !== null || FORBIDDEN.check(checked, family)) {
    return `${address} is a loopback, private, link-local or reserved address`;
  }
  return null;
}
