import type { Tx } from "../db/transactions";
import { decideClaim } from "../execution/store";
import { settleRunEnd } from "../incidents/run-end";
import { tailBytes } from "../ingest/truncate";
import { ingestReportIn } from "../ingest/service";
import { markLatestRun } from "../jobs/latest-run";
import type { AuthenticatedAgent } from "./authenticate";
import { resolveAgentIncident } from "../agent-offline/incidents";
import { AGENT_LIMITS, type FinishBody, type HeartbeatBody, type RegisterBody } from "./schemas";

export type AgentTiming = { leaseSeconds: number; heartbeatMs: number };

/**
 * The agent says who it is and which jobs its config declares. Declared jobs are created as
 * kind `agent`, bound to it; a reported job of the same key becomes an agent job (rerunnable).
 * A job already bound elsewhere (another agent, a label) keeps its binding.
 */
export async function registerAgent(tx: Tx, agent: AuthenticatedAgent, body: RegisterBody) {
  const [updated] = await tx<{ drained: boolean }[]>`
    update agents set host = ${body.host ?? null}, os = ${body.os ?? null}, version = ${body.version ?? null},
           max_concurrency = ${body.max_concurrency}, labels = ${body.labels}::text[],
           registered_at = now(), last_seen_at = now()
    where id = ${agent.id}
    returning drained`;
  const isAlertQueued = await resolveAgentIncident(tx, agent.id);
  const jobs: Array<{ job_key: string; job_id: string }> = [];
  for (const job of body.jobs) {
    const [row] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, agent_id)
      values (${agent.workspace_id}, ${job.job_key}, ${job.title?.trim() || job.job_key}, 'agent', ${agent.id})
      on conflict (workspace_id, job_key) do update set
        kind = case when jobs.kind = 'reported' then 'agent' else jobs.kind end,
        agent_id = case when jobs.kind = 'reported' or (jobs.kind = 'agent' and jobs.agent_id is null and jobs.agent_label is null)
                        then excluded.agent_id else jobs.agent_id end
      returning id`;
    jobs.push({ job_key: job.job_key, job_id: row!.id });
  }
  return { agent: { id: agent.id, name: agent.name, drained: updated!.drained }, jobs, isAlertQueued };
}

export type ClaimedAgentRun = { run_id: string; job_key: string; params: Record<string, unknown>; timeout_seconds: number | null };

/**
 * Claims up to `capacity` queued runs of the jobs bound to this agent or to one of its labels,
 * under the jobs' concurrency policies. SKIP LOCKED makes it atomic across agents: two agents
 * polling at once never get the same run. A drained agent, or one already at its maximum
 * concurrency, gets nothing.
 */
export async function claimAgentRuns(tx: Tx, agent: AuthenticatedAgent, capacity: number, timing: AgentTiming): Promise<ClaimedAgentRun[]> {
  const [state] = await tx<{ drained: boolean; running: number }[]>`
    select a.drained, (select count(*)::int from runs r where r.agent_id = a.id and r.status = 'running') as running
    from agents a where a.id = ${agent.id}
    for update`;
  if (!state || state.drained) return [];
  const free = Math.min(capacity, agent.max_concurrency - state.running);
  if (free <= 0) return [];

  const claimed: ClaimedAgentRun[] = [];
  const examined: string[] = [];
  // Lock only as many as there is room for: a run locked but not taken would be skipped by the
  // other agents polling at this moment. A run the job's `forbid` skips makes room for another.
  while (claimed.length < free) {
    const candidates = await tx<{ id: string; job_id: string; job_key: string; params: Record<string, unknown>; timeout_seconds: number | null; concurrency_policy: "allow" | "forbid" | "replace" }[]>`
      select r.id, r.job_id, j.job_key, r.params, j.timeout_seconds, j.concurrency_policy
      from runs r join jobs j on j.id = r.job_id
      where r.workspace_id = ${agent.workspace_id} and r.status = 'queued' and j.kind = 'agent'
        and (j.agent_id = ${agent.id} or (j.agent_label is not null and j.agent_label = any(${agent.labels}::text[])))
        and r.id <> all(${examined}::uuid[])
      order by r.queued_at, r.id
      limit ${free - claimed.length}
      for update of r skip locked`;
    if (candidates.length === 0) break;
    for (const run of candidates) {
      examined.push(run.id);
      const decision = await decideClaim(tx, run);
      if (decision.kind === "skipped") continue;
      await tx`
        update runs set status = 'running', started_at = now(), dispatch_error = null,
               agent_id = ${agent.id}, lease_expires_at = now() + make_interval(secs => ${timing.leaseSeconds}),
               host = coalesce(${agent.host}, host),
               -- The script's own reports carry JOBBOARD_RUN_ID as run_id: they pair with this run.
               external_id = coalesce(external_id, id::text)
        where id = ${run.id}`;
      await markLatestRun(tx, run.job_id, run.id);
      claimed.push({ run_id: run.id, job_key: run.job_key, params: run.params, timeout_seconds: run.timeout_seconds });
    }
  }
  return claimed;
}

/**
 * A run marked lost while its agent was in fact alive (the hub, or the network between them,
 * was down longer than the lease) comes back when that agent speaks for it again, unless an
 * operator has reassigned it meanwhile. The incident its loss opened resolves, and Slack hears
 * it recovered (settleRunEnd decides both). Answers whether the run is running again, and
 * whether that wrote an alert.
 */
async function reviveLostRun(tx: Tx, agent: AuthenticatedAgent, runId: string, timing: AgentTiming): Promise<{ isRevived: boolean; alertQueued: boolean }> {
  const [revived] = await tx<{ id: string }[]>`
    update runs r set status = 'running', finished_at = null, duration_ms = null, message = null,
           lease_expires_at = now() + make_interval(secs => ${timing.leaseSeconds})
    where r.id = ${runId} and r.workspace_id = ${agent.workspace_id} and r.agent_id = ${agent.id} and r.status = 'lost'
      and not exists (select 1 from runs again where again.rerun_of = r.id)
    returning r.id`;
  if (!revived) return { isRevived: false, alertQueued: false };
  return { isRevived: true, alertQueued: (await settleRunEnd(tx, runId)).alertQueued };
}

async function lockAgentRuns(tx: Tx, agent: AuthenticatedAgent, runIds: string[]): Promise<void> {
  if (runIds.length === 0) return;
  await tx`
    select id from runs where id = any(${runIds}::uuid[]) and workspace_id = ${agent.workspace_id} and agent_id = ${agent.id}
    order by id for update`;
}

/**
 * Renews the agent's presence and the leases of the runs it still holds, keeps their live log
 * tails, and answers which runs it must stop: canceled, replaced, timed out, lost or reassigned.
 */
export async function recordHeartbeat(tx: Tx, agent: AuthenticatedAgent, body: HeartbeatBody, timing: AgentTiming) {
  const [state] = await tx<{ drained: boolean }[]>`
    update agents set last_seen_at = now(), load = ${body.load ?? null} where id = ${agent.id} returning drained`;
  const cancel: string[] = [];
  let isAlertQueued = await resolveAgentIncident(tx, agent.id);
  // Locked first, so a lease that runs out meanwhile (another agent's poll ends it) cannot turn
  // a run lost between reviving it and renewing it: that would stop a run that is alive.
  await lockAgentRuns(tx, agent, body.runs.map((run) => run.run_id));
  for (const run of body.runs) {
    if ((await reviveLostRun(tx, agent, run.run_id, timing)).alertQueued) isAlertQueued = true;
    const [renewed] = await tx<{ id: string }[]>`
      update runs set
        lease_expires_at = now() + make_interval(secs => ${timing.leaseSeconds}),
        log = coalesce(${run.stdout_tail == null ? null : tailBytes(run.stdout_tail, AGENT_LIMITS.tailBytes).value}, log),
        stderr_tail = coalesce(${run.stderr_tail == null ? null : tailBytes(run.stderr_tail, AGENT_LIMITS.tailBytes).value}, stderr_tail),
        current_stage = coalesce(${run.stage ?? null}, current_stage),
        progress_percent = coalesce(${run.percent ?? null}, progress_percent),
        message = coalesce(${run.message ?? null}, message)
      where id = ${run.run_id} and workspace_id = ${agent.workspace_id} and agent_id = ${agent.id} and status = 'running'
      returning id`;
    if (renewed) continue;
    const [current] = await tx<{ status: string; agent_id: string | null }[]>`
      select status, agent_id from runs where id = ${run.run_id} and workspace_id = ${agent.workspace_id}`;
    // A run the script finished by reporting itself is not to be killed: it is exiting anyway.
    const isFinishedByItsReport = current && current.agent_id === agent.id && (current.status === "succeeded" || current.status === "failed");
    if (!isFinishedByItsReport) cancel.push(run.run_id);
  }
  return { cancel, drained: state?.drained ?? false, isAlertQueued };
}

const clip = (text: string | null | undefined) => (text == null || text === "" ? null : tailBytes(text, AGENT_LIMITS.finishTailBytes).value);

export type AgentFinish = { status: string; duplicate: boolean; alertQueued: boolean };

/**
 * Records how the agent's process ended, through the same path as a report (so incidents,
 * alerts and pairing behave alike). Idempotent by run: a run already finished (by the script's
 * own report, a cancel, a reassigned loss, or an earlier copy of this finish) is left as it is.
 */
export async function finishAgentRun(tx: Tx, agent: AuthenticatedAgent, body: FinishBody, timing: AgentTiming): Promise<AgentFinish | null> {
  const [run] = await tx<{ id: string; status: string; job_key: string; title: string }[]>`
    select r.id, r.status, j.job_key, j.title from runs r join jobs j on j.id = r.job_id
    where r.id = ${body.run_id} and r.workspace_id = ${agent.workspace_id} and r.agent_id = ${agent.id}
    for update of r`;
  if (!run) return null;
  // A finish spooled through a hub outage may find its run marked lost meanwhile. Revived only
  // under the row's lock: a lease ending between a revive and the lock would leave it lost.
  if (run.status === "lost" && (await reviveLostRun(tx, agent, body.run_id, timing)).isRevived) run.status = "running";
  await tx`update runs set lease_expires_at = null where id = ${run.id}`;
  if (run.status !== "running") {
    // The script reported itself first: what the agent captured fills in what its report left out.
    await tx`
      update runs set log = coalesce(log, ${clip(body.stdout_tail)}), stderr_tail = coalesce(stderr_tail, ${clip(body.stderr_tail)})
      where id = ${run.id}`;
    return { status: run.status, duplicate: true, alertQueued: false };
  }
  const isSuccess = !body.error && body.exit_code === 0 && !body.signal;
  const message =
    body.error ??
    body.message ??
    (body.signal ? `terminated by signal ${body.signal}` : isSuccess ? "completed" : `exited with code ${body.exit_code ?? "unknown"}`);
  const result = await ingestReportIn(tx, {
    workspaceId: agent.workspace_id,
    isFromJobboard: true,
    report: {
      event: "finish",
      job_key: run.job_key,
      title: null,
      run_id: run.id,
      status: isSuccess ? "success" : "error",
      started_at: body.started_at ?? null,
      finished_at: body.finished_at,
      duration_ms: body.duration_ms ?? null,
      exit_code: body.exit_code ?? null,
      message,
      stderr: body.stderr_tail ?? null,
      log: body.stdout_tail ?? null,
      host: agent.host,
    },
  });
  return { status: isSuccess ? "succeeded" : "failed", duplicate: result.isDuplicate, alertQueued: result.alertQueued };
}

/**
 * Runs whose agent stopped renewing their lease (it died, or lost the network) end `lost`:
 * an incident opens and its alert is written, as seed 004's ORPHANED. Scoped to a workspace
 * when given; the tick passes none.
 */
export async function expireAgentLeases(tx: Tx, workspaceId?: string): Promise<number> {
  const lost = await tx<{ id: string }[]>`
    update runs r set status = 'lost', finished_at = now(), lease_expires_at = null,
           duration_ms = (extract(epoch from now() - coalesce(r.started_at, r.queued_at)) * 1000)::bigint,
           message = 'Lost: agent ' || coalesce(a.name, 'unknown') || ' stopped answering, and its lease ran out at '
                     || to_char(r.lease_expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
    from agents a
    where a.id = r.agent_id and r.status = 'running' and r.lease_expires_at < now()
      and (${workspaceId ?? null}::uuid is null or r.workspace_id = ${workspaceId ?? null})
    returning r.id`;
  for (const run of lost) await settleRunEnd(tx, run.id);
  return lost.length;
}
