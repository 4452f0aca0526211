import type { Db } from "../db/sql";
import type { RunStatus } from "../runs/status";

/** An agent is online while its heartbeats keep coming: three missed beats and it is offline. */
export const OFFLINE_AFTER_SECONDS = 15;

export type AgentRow = {
  id: string;
  name: string;
  prefix: string;
  host: string | null;
  os: string | null;
  version: string | null;
  labels: string[];
  max_concurrency: number;
  load: number | null;
  drained: boolean;
  created_at: Date;
  last_seen_at: Date | null;
  revoked_at: Date | null;
  is_online: boolean;
  running: number;
  current_run_id: string | null;
  current_job_title: string | null;
};

/** Every agent of the workspace, live ones first; what each is running now. */
export async function listAgents(db: Db, workspaceId: string): Promise<AgentRow[]> {
  return db<AgentRow[]>`
    select a.id, a.name, a.prefix, a.host, a.os, a.version, a.labels, a.max_concurrency, a.load, a.drained,
           a.created_at, a.last_seen_at, a.revoked_at,
           (a.revoked_at is null and a.last_seen_at > now() - make_interval(secs => ${OFFLINE_AFTER_SECONDS})) as is_online,
           coalesce(cur.running, 0) as running, cur.run_id as current_run_id, cur.job_title as current_job_title
    from agents a
    left join lateral (
      select count(*) over ()::int as running, r.id as run_id, j.title as job_title
      from runs r join jobs j on j.id = r.job_id
      where r.agent_id = a.id and r.status = 'running'
      order by r.started_at desc
      limit 1
    ) cur on true
    where a.workspace_id = ${workspaceId}
    order by a.revoked_at is not null, a.name`;
}

export async function getAgent(db: Db, p: { workspaceId: string; agentId: string }): Promise<AgentRow | undefined> {
  const agents = await listAgents(db, p.workspaceId);
  return agents.find((agent) => agent.id === p.agentId);
}

export type AgentRunRow = {
  id: string;
  job_id: string;
  job_title: string;
  job_kind: string;
  status: RunStatus;
  trigger: string;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  message: string | null;
  exit_code: number | null;
  stderr_tail: string | null;
};

/** The agent's recent runs, newest first. */
export async function listAgentRuns(db: Db, p: { workspaceId: string; agentId: string; limit: number }): Promise<AgentRunRow[]> {
  return db<AgentRunRow[]>`
    select r.id, r.job_id, j.title as job_title, j.kind as job_kind, r.status, r.trigger, r.queued_at, r.started_at, r.finished_at, r.duration_ms, r.message,
           r.exit_code, r.stderr_tail
    from runs r join jobs j on j.id = r.job_id
    where r.workspace_id = ${p.workspaceId} and r.agent_id = ${p.agentId}
    order by r.queued_at desc, r.id desc
    limit ${p.limit}`;
}

/** The jobs bound to the agent, by itself or by one of its labels. */
export async function listAgentJobs(db: Db, p: { workspaceId: string; agentId: string }) {
  return db<{ id: string; job_key: string; title: string; agent_label: string | null }[]>`
    select j.id, j.job_key, j.title, j.agent_label
    from jobs j, agents a
    where a.id = ${p.agentId} and a.workspace_id = ${p.workspaceId} and j.workspace_id = a.workspace_id and j.kind = 'agent'
      and (j.agent_id = a.id or j.agent_label = any(a.labels))
    order by j.title`;
}

export type AgentIncidentRow = {
  id: string;
  agent_id: string;
  agent_name: string;
  agent_host: string | null;
  opened_at: Date;
  last_seen_at: Date | null;
  resolved_at: Date | null;
};

/** The "agent offline" incidents of a workspace: one by id, or the open ones, newest first. */
export async function listAgentIncidents(db: Db, p: { workspaceId: string; incidentId?: string; limit: number }): Promise<AgentIncidentRow[]> {
  return db<AgentIncidentRow[]>`
    select ai.id, ai.agent_id, a.name as agent_name, a.host as agent_host, ai.opened_at, ai.last_seen_at, ai.resolved_at
    from agent_incidents ai join agents a on a.id = ai.agent_id
    where ai.workspace_id = ${p.workspaceId}
      and (${p.incidentId ?? null}::uuid is null and ai.resolved_at is null or ai.id = ${p.incidentId ?? null}::uuid)
    order by ai.opened_at desc
    limit ${p.limit}`;
}
