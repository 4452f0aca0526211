import { recordAudit } from "../audit/record";
import type { Tx } from "../db/transactions";
import { AppError, rethrowDenied, UNIQUE_VIOLATION, sqlState } from "../errors";
import { AGENT_TOKEN_PREFIX, generateSecretToken } from "../ingest/keys";
import type { Actor } from "../auth/actor";
import { requestRun } from "../runs/service";

/** Who acted: a person, or automation (`npm run agent:token`) with no account. */
export type AgentActor = Actor | { userId: null; email: string };

/**
 * Makes an agent and its token (admins, under RLS; or the service role for automation). The
 * token is returned once and only its hash is kept.
 */
export async function createAgentToken(
  tx: Tx,
  p: { workspaceId: string; name: string; actor: AgentActor },
): Promise<{ id: string; token: string; prefix: string }> {
  const token = generateSecretToken(AGENT_TOKEN_PREFIX);
  try {
    const [agent] = await tx<{ id: string }[]>`
      insert into agents (workspace_id, name, prefix, secret_hash, created_by)
      values (${p.workspaceId}, ${p.name}, ${token.prefix}, ${token.hash}, ${p.actor.userId})
      returning id`;
    await recordAudit(tx, p, { action: "agent.created", targetType: "agent", targetId: agent!.id, detail: { name: p.name, prefix: token.prefix } });
    return { id: agent!.id, token: token.token, prefix: token.prefix };
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError("conflict", "agents.nameTaken", { field: "name" });
    rethrowDenied(error, "agents.createRefused");
  }
}

type AgentControl = "drain" | "resume" | "detach";

const CONTROL_AUDIT: Record<AgentControl, string> = { drain: "agent.drained", resume: "agent.resumed", detach: "agent.detached" };

/**
 * Drain (take no new runs), resume, or detach (revoke its token: its next call is refused).
 * Operators and above, under RLS; audited in the same transaction.
 */
export async function controlAgent(tx: Tx, p: { workspaceId: string; agentId: string; control: AgentControl; actor: Actor }): Promise<void> {
  let changed: { id: string; name: string }[];
  try {
    changed =
      p.control === "detach"
        ? await tx<{ id: string; name: string }[]>`
            update agents set revoked_at = now(), revoked_by = ${p.actor.userId}
            where id = ${p.agentId} and workspace_id = ${p.workspaceId} and revoked_at is null
            returning id, name`
        : await tx<{ id: string; name: string }[]>`
            update agents set drained = ${p.control === "drain"}
            where id = ${p.agentId} and workspace_id = ${p.workspaceId} and revoked_at is null
              and drained <> ${p.control === "drain"}
            returning id, name`;
  } catch (error) {
    rethrowDenied(error, "agents.controlRefused");
  }
  if (changed.length === 0) {
    const [agent] = await tx<{ revoked_at: Date | null; drained: boolean }[]>`
      select revoked_at, drained from agents where id = ${p.agentId} and workspace_id = ${p.workspaceId}`;
    if (!agent) throw new AppError("not_found", "agents.notFound");
    if (agent.revoked_at) throw new AppError("conflict", "agents.detached");
    // Already drained (or already taking runs): nothing to change, nothing to audit.
    if (p.control !== "detach" && agent.drained === (p.control === "drain")) return;
    // The row is there and would change: RLS filtered the update out.
    throw new AppError("forbidden", "agents.controlRefused");
  }
  await recordAudit(tx, p, { action: CONTROL_AUDIT[p.control], targetType: "agent", targetId: p.agentId, detail: { name: changed[0]!.name } });
}

/**
 * Reassign a lost run: queue it again with the same parameters, as a rerun of it, for whichever
 * agent claims the job next (operators and above).
 */
export async function reassignLostRun(tx: Tx, p: { workspaceId: string; runId: string; actor: Actor }): Promise<{ id: string }> {
  const [lost] = await tx<{ job_id: string; status: string; params: Record<string, unknown> }[]>`
    select job_id, status, params from runs where id = ${p.runId} and workspace_id = ${p.workspaceId}`;
  if (!lost) throw new AppError("not_found", "runs.notFound");
  if (lost.status !== "lost") throw new AppError("conflict", "runs.onlyLostReassigned");
  return requestRun(tx, { workspaceId: p.workspaceId, jobId: lost.job_id, params: lost.params, rerunOf: p.runId, actor: p.actor });
}
