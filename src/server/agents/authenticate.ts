import type { Tx } from "../db/transactions";
import { AGENT_TOKEN_PREFIX, hashIngestKey, parseSecretToken, secretsEqual } from "../ingest/keys";

export type AuthenticatedAgent = {
  id: string;
  workspace_id: string;
  name: string;
  host: string | null;
  labels: string[];
  max_concurrency: number;
  drained: boolean;
};

export type AgentRefusal = { status: 401; error: string };

const INVALID: AgentRefusal = { status: 401, error: "Missing or unknown agent token (Authorization: Bearer jba_…)" };

/** Who is calling: the agent whose token (`jba_…`) the request carries, unless it was revoked. */
export async function authenticateAgent(tx: Tx, headers: Headers): Promise<AuthenticatedAgent | AgentRefusal> {
  const token = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  const prefix = parseSecretToken(AGENT_TOKEN_PREFIX, token);
  if (!prefix) return INVALID;
  const [agent] = await tx<(AuthenticatedAgent & { secret_hash: string; revoked_at: Date | null })[]>`
    select id, workspace_id, name, host, labels, max_concurrency, drained, secret_hash, revoked_at
    from agents where prefix = ${prefix}`;
  // Compare even when no row matched, so a wrong prefix costs the same as a wrong secret.
  const isMatch = secretsEqual(hashIngestKey(token), agent?.secret_hash ?? "") && Boolean(agent);
  if (!agent || !isMatch) return INVALID;
  if (agent.revoked_at) return { status: 401, error: "This agent's token has been revoked (the agent was detached)" };
  const { secret_hash: _hash, revoked_at: _revoked, ...authenticated } = agent;
  void _hash;
  void _revoked;
  return authenticated;
}
