import { getEnv } from "@/lib/env";
import type { Sql } from "../db/sql";
import { type Tx, withService } from "../db/transactions";

/** How long an agent's claim on a run lasts without a heartbeat; past it, the agent counts as offline. */
export function agentLeaseSeconds(): number {
  return getEnv().JOBBOARD_AGENT_LEASE_SECONDS ?? 30;
}

/**
 * Opens the "agent offline" incident, with its one alert, of each agent not heard from for longer
 * than its lease (or of `agentId` alone, when given, whatever its last contact). Drained and
 * detached agents never count, nor one that never registered. Answers the incidents it opened.
 */
export async function openAgentIncidents(tx: Tx, p: { leaseSeconds: number; agentId?: string }): Promise<string[]> {
  const rows = await tx<{ agent_incident_id: string }[]>`
    with opened as (
      insert into agent_incidents (workspace_id, agent_id, last_seen_at)
      select a.workspace_id, a.id, a.last_seen_at from agents a
      where a.revoked_at is null and not a.drained and a.last_seen_at is not null
        and (${p.agentId ?? null}::uuid is null and a.last_seen_at < now() - make_interval(secs => ${p.leaseSeconds})
             or a.id = ${p.agentId ?? null}::uuid)
      on conflict (agent_id) where resolved_at is null do nothing
      returning id, workspace_id, agent_id, last_seen_at
    )
    insert into alerts (workspace_id, agent_incident_id, kind, detail)
    select o.workspace_id, o.id, 'agent_offline', jsonb_build_object('last_seen_at', o.last_seen_at) from opened o
    on conflict do nothing
    returning agent_incident_id`;
  return rows.map((row) => row.agent_incident_id);
}

/**
 * The agent spoke again: its open "agent offline" incident resolves, with one recovery alert
 * (which lists, when sent, what was folded into the incident). Answers whether one resolved.
 */
export async function resolveAgentIncident(tx: Tx, agentId: string): Promise<boolean> {
  const rows = await tx<{ id: string }[]>`
    with resolved as (
      update agent_incidents set resolved_at = greatest(now(), opened_at)
      where agent_id = ${agentId} and resolved_at is null
      returning id, workspace_id
    )
    insert into alerts (workspace_id, agent_incident_id, kind)
    select workspace_id, id, 'agent_recovery' from resolved
    on conflict do nothing
    returning id`;
  return rows.length > 0;
}

/** Where an alert folds: into the open incident of `agentId` (opened now if need be), or into `agentIncidentId`. */
export type FoldTarget = { alertId: string; agentId: string | null; agentIncidentId: string | null };

/**
 * Which of these alerts fold into an agent incident instead of being sent:
 * - a miss, a lost run or a reminder of a job only one agent runs (bound to it, not to a label),
 *   while that agent is down: not heard from past its lease, already in an open incident, or
 *   (for a lost run) not heard from since the run was declared lost;
 * - the recovery of a job incident whose news was folded: nobody was told it broke.
 * Decided at delivery, so an alert written before the tick noticed the agent folds all the same.
 */
export async function foldTargetsOf(sql: Sql, alertIds: string[], leaseSeconds: number): Promise<Map<string, FoldTarget>> {
  if (alertIds.length === 0) return new Map();
  const rows = await withService(sql, (tx) => tx<FoldTarget[]>`
    select a.id as "alertId", ag.id as "agentId", null::uuid as "agentIncidentId"
    from alerts a
    join jobs j on j.id = a.job_id and j.workspace_id = a.workspace_id
    join agents ag on ag.id = j.agent_id and ag.workspace_id = j.workspace_id
    left join runs r on r.id = a.run_id
    where a.id = any(${alertIds}::uuid[])
      and (a.kind in ('missed', 'reminder') or (a.kind = 'failure' and a.detail->>'status' = 'lost'))
      and j.agent_label is null
      and ag.revoked_at is null and not ag.drained and ag.last_seen_at is not null
      and (ag.last_seen_at < now() - make_interval(secs => ${leaseSeconds})
           or exists (select 1 from agent_incidents ai where ai.agent_id = ag.id and ai.resolved_at is null)
           or (a.kind = 'failure' and r.agent_id = ag.id and ag.last_seen_at <= r.finished_at))
    union all
    select a.id, null, f.agent_incident_id
    from alerts a
    join lateral (
      select f.agent_incident_id from alerts f
      where f.incident_id = a.incident_id and f.workspace_id = a.workspace_id and f.status = 'folded'
      order by f.created_at limit 1
    ) f on true
    where a.id = any(${alertIds}::uuid[]) and a.kind = 'recovery'`);
  return new Map(rows.map((row) => [row.alertId, row]));
}

/** Records the alert on its agent incident instead of sending it. */
export async function foldAlert(sql: Sql, target: FoldTarget, leaseSeconds: number): Promise<void> {
  await withService(sql, async (tx) => {
    let incidentId = target.agentIncidentId;
    if (!incidentId && target.agentId) {
      await openAgentIncidents(tx, { leaseSeconds, agentId: target.agentId });
      const [open] = await tx<{ id: string }[]>`
        select id from agent_incidents where agent_id = ${target.agentId} and resolved_at is null`;
      incidentId = open?.id ?? null;
    }
    if (!incidentId) return;
    await tx`
      update alerts set status = 'folded', agent_incident_id = ${incidentId},
             -- Folding is not a failed send: the lease's count is given back.
             attempts = greatest(0, attempts - 1)
      where id = ${target.alertId}`;
  });
}

/** The tick's step: opens the incidents of agents gone quiet. Answers how many it opened. */
export async function markOfflineAgents(sql: Sql): Promise<number> {
  const opened = await withService(sql, (tx) => openAgentIncidents(tx, { leaseSeconds: agentLeaseSeconds() }));
  return opened.length;
}
