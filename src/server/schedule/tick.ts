import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { expireAgentLeases } from "../agents/service";
import { recordIncident } from "../incidents/transitions";
import { recordEndedRun } from "../incidents/run-failure";
import { queueMissedAlert } from "../notify/outbox";
import { latestSlot, slotBefore } from "./slots";

export type QueuedRun = { id: string; workspaceId: string };

type ScheduledJob = {
  id: string;
  workspace_id: string;
  kind: "reported" | "http" | "task" | "agent";
  schedule_cron: string | null;
  schedule_timezone: string | null;
  schedule_period_seconds: number | null;
  grace_seconds: number;
  created_at: Date;
  default_params: Record<string, unknown>;
};

// A tick that was down a long while queues each job's latest slot once, not every slot missed.
async function scheduledJobs(sql: Sql): Promise<ScheduledJob[]> {
  return withService(sql, (tx) => tx<ScheduledJob[]>`
    select j.id, j.workspace_id, j.kind, j.schedule_cron, j.schedule_timezone, j.schedule_period_seconds,
           coalesce(j.grace_seconds, w.default_grace_seconds) as grace_seconds, j.created_at, j.default_params
    from jobs j join workspaces w on w.id = j.workspace_id
    where j.enabled and not j.paused
      and (j.schedule_cron is not null or j.schedule_period_seconds is not null)`);
}

const scheduleOf = (job: ScheduledJob) => ({
  cron: job.schedule_cron,
  timezone: job.schedule_timezone,
  periodSeconds: job.schedule_period_seconds,
});

/**
 * Queues a run for every managed job whose latest slot has come. The unique (job_id,
 * scheduled_for) index makes it idempotent: two ticks, or two servers, queue a slot once.
 * Answers the runs it queued, to dispatch.
 */
export async function enqueueDueRuns(sql: Sql, now: Date, jobs?: ScheduledJob[]): Promise<QueuedRun[]> {
  const queued: QueuedRun[] = [];
  for (const job of jobs ?? (await scheduledJobs(sql))) {
    if (job.kind === "reported") continue;
    const slot = latestSlot(scheduleOf(job), now, job.created_at);
    if (!slot) continue;
    const [run] = await withService(sql, (tx) => tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, scheduled_for, queued_at, params)
      values (${job.workspace_id}, ${job.id}, 'queued', 'schedule', ${slot}, ${now}, ${tx.json(job.default_params as never)})
      on conflict (job_id, scheduled_for) where trigger = 'schedule' do nothing
      returning id`);
    if (run) queued.push({ id: run.id, workspaceId: job.workspace_id });
  }
  return queued;
}

export type MissedJob = { workspaceId: string; jobId: string; dueAt: Date; incidentId: string };

/**
 * Opens a `missed` incident, with its alert, for each scheduled job whose latest slot plus grace
 * has passed with no run since that slot. A run that started a little before its slot (a clock running
 * early) still counts: anything after the middle of the previous interval does.
 */
export async function markMissedJobs(sql: Sql, now: Date, jobs?: ScheduledJob[]): Promise<MissedJob[]> {
  const missed: MissedJob[] = [];
  for (const job of jobs ?? (await scheduledJobs(sql))) {
    const schedule = scheduleOf(job);
    const slot = latestSlot(schedule, new Date(now.getTime() - job.grace_seconds * 1000), job.created_at);
    if (!slot) continue;
    const previous = slotBefore(schedule, slot);
    const earliest = previous ? new Date(slot.getTime() - (slot.getTime() - previous.getTime()) / 2) : slot;
    const result = await withService(sql, async (tx) => {
      const [seen] = await tx`
        select 1 from runs
        where job_id = ${job.id} and coalesce(started_at, queued_at) >= ${earliest}
        limit 1`;
      if (seen) return null;
      const [open] = await tx`select 1 from incidents where job_id = ${job.id} and resolved_at is null`;
      if (open) return null;
      const incident = await recordIncident(tx, {
        workspaceId: job.workspace_id,
        jobId: job.id,
        kind: "missed",
        runId: null,
        at: new Date(slot.getTime() + job.grace_seconds * 1000),
        message: `No run since ${slot.toISOString()} (due, plus ${Math.round(job.grace_seconds / 60)} min grace)`,
        missedSince: earliest,
      });
      if (!incident.isNew) return null;
      await queueMissedAlert(tx, { workspaceId: job.workspace_id, jobId: job.id, incidentId: incident.incidentId, dueAt: slot });
      return incident.incidentId;
    });
    if (result) missed.push({ workspaceId: job.workspace_id, jobId: job.id, dueAt: slot, incidentId: result });
  }
  return missed;
}

export type TimedOutRun = { runId: string; workspaceId: string; jobId: string; openedIncidentId: string | null };

/**
 * Ends runs that have been `running` past their job's timeout (their executor or reporter
 * died) as `timed_out`, opening an incident and writing its alert. A minute's slack lets a live executor finish first.
 */
export async function timeOutStuckRuns(sql: Sql, now: Date): Promise<TimedOutRun[]> {
  return withService(sql, async (tx) => {
    const stuck = await tx<{ id: string; workspace_id: string; job_id: string; timeout_seconds: number }[]>`
      update runs r set status = 'timed_out', finished_at = ${now},
             duration_ms = (extract(epoch from ${now}::timestamptz - r.started_at) * 1000)::bigint,
             message = 'Timed out: still running ' || j.timeout_seconds || ' s after it started'
      from jobs j
      where j.id = r.job_id and r.status = 'running' and j.timeout_seconds is not null
        and r.started_at < ${now}::timestamptz - make_interval(secs => j.timeout_seconds + 60)
      returning r.id, r.workspace_id, r.job_id, j.timeout_seconds`;
    const timedOut: TimedOutRun[] = [];
    for (const run of stuck) {
      const ended = { runId: run.id, workspaceId: run.workspace_id, jobId: run.job_id };
      const openedIncidentId = await recordEndedRun(tx, { ...ended, status: "timed_out", message: `Timed out after ${run.timeout_seconds} s`, at: now });
      timedOut.push({ ...ended, openedIncidentId });
    }
    return timedOut;
  });
}

/** Queued runs whose dispatch failed, or that nobody picked up, to hand over again (agents pull their own). */
export async function runsToRedispatch(sql: Sql, now: Date): Promise<QueuedRun[]> {
  const rows = await withService(sql, (tx) => tx<{ id: string; workspace_id: string }[]>`
    select r.id, r.workspace_id from runs r join jobs j on j.id = r.job_id
    where r.status = 'queued' and j.kind <> 'agent'
      and (r.dispatch_error is not null or r.queued_at < ${now}::timestamptz - interval '2 minutes')
    order by r.queued_at
    limit 500`);
  return rows.map((row) => ({ id: row.id, workspaceId: row.workspace_id }));
}

export type TickResult = { queued: QueuedRun[]; redispatched: number; missed: MissedJob[]; timedOut: TimedOutRun[]; lost: number };

/** One schedule tick: queue due runs, retry stuck dispatches, mark missed jobs, time out stuck runs, end lost ones. */
export async function runScheduleTick(
  sql: Sql,
  now: Date,
  dispatch: (run: QueuedRun) => Promise<void>,
): Promise<TickResult> {
  const jobs = await scheduledJobs(sql);
  // Read before queuing, so a run queued by this tick is dispatched once, not twice.
  const redispatch = await runsToRedispatch(sql, now);
  const queued = await enqueueDueRuns(sql, now, jobs);
  for (const run of [...queued, ...redispatch]) await dispatch(run);
  const missed = await markMissedJobs(sql, now, jobs);
  const timedOut = await timeOutStuckRuns(sql, now);
  const lost = await withService(sql, (tx) => expireAgentLeases(tx));
  return { queued, redispatched: redispatch.length, missed, timedOut, lost };
}
