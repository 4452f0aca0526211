import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { expireAgentLeases } from "../agents/service";
import { queueReminders } from "../incidents/reminders";
import { releaseHeldAlerts } from "../maintenance/hold";
import { markStalledRuns, type StalledRun } from "../incidents/stalls";
import { recordIncident } from "../incidents/transitions";
import { recordEndedRun } from "../incidents/run-failure";
import { queueMissedAlert } from "../notify/outbox";
import { slotsForOneTick } from "./slots";

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
  /** The due time as read, to write the next one only if nobody has reset it since. */
  due_at: string;
};

/** Scheduled jobs due by `now` on one of the two clocks each keeps in schedule_due_times, read through its index. */
async function dueJobs(sql: Sql, column: "next_slot_at" | "next_check_at", now: Date): Promise<ScheduledJob[]> {
  return withService(sql, (tx) => tx<ScheduledJob[]>`
    select j.id, j.workspace_id, j.kind, j.schedule_cron, j.schedule_timezone, j.schedule_period_seconds,
           coalesce(j.grace_seconds, w.default_grace_seconds) as grace_seconds, j.created_at, j.default_params,
           d.${tx(column)}::text as due_at
    from schedule_due_times d
    join jobs j on j.id = d.job_id
    join workspaces w on w.id = j.workspace_id
    where d.${tx(column)} <= ${now}
    order by d.${tx(column)}
    limit ${DUE_PER_TICK}`);
}

/** A tick handles at most this many jobs per clock; the rest stay due for the next tick. */
const DUE_PER_TICK = 5000;

/** Due jobs past this many are split in two halves, each on its own connection. */
const SPLIT_FROM = 500;

/**
 * `work` over `jobs`, in two halves at once when there are many. At the top of the hour
 * thousands of slots fall due together, and a tick's cost is then the database's per-row work
 * (runs' indexes and foreign key, the due times' indexes): two connections share it between
 * the database's cores, and the second half's slots are worked out while the first half's
 * statement runs. The halves hold different jobs, so they never wait on each other's rows.
 */
async function inParts<T>(jobs: ScheduledJob[], work: (part: ScheduledJob[]) => Promise<T[]>): Promise<T[]> {
  if (jobs.length < SPLIT_FROM) return work(jobs);
  const half = Math.ceil(jobs.length / 2);
  const results = await Promise.all([work(jobs.slice(0, half)), work(jobs.slice(half))]);
  return results.flat();
}

const scheduleOf = (job: ScheduledJob) => ({
  cron: job.schedule_cron,
  timezone: job.schedule_timezone,
  periodSeconds: job.schedule_period_seconds,
});

type NextDue = { job: ScheduledJob; at: Date | null };

/**
 * Writes each job's next due time on one clock ("infinity" for a schedule with no next slot),
 * unless the job's schedule changed since it was read and reset it.
 */
async function setDueTimes(sql: Sql, column: "next_slot_at" | "next_check_at", due: NextDue[]): Promise<void> {
  if (due.length === 0) return;
  await withService(sql, (tx) => tx`
    update schedule_due_times s set ${tx(column)} = coalesce(d.at, 'infinity')
    from unnest(${tx.array(due.map((d) => d.job.id))}::uuid[],
                ${tx.array(due.map((d) => d.at?.toISOString() ?? null))}::timestamptz[],
                ${tx.array(due.map((d) => d.job.due_at))}::timestamptz[]) as d(id, at, was)
    where s.job_id = d.id and s.${tx(column)} = d.was`);
}

/**
 * Queues a run for every managed job whose latest slot has come. The unique (job_id,
 * scheduled_for) index makes it idempotent: two ticks, or two servers, queue a slot once.
 * A tick that was down a long while queues each job's latest slot once, not every slot missed.
 * Only jobs whose next slot has come are read. Answers the runs it queued, to dispatch.
 */
export async function enqueueDueRuns(sql: Sql, now: Date): Promise<QueuedRun[]> {
  const clock = slotsForOneTick();
  const queued = await inParts(await dueJobs(sql, "next_slot_at", now), async (jobs) => {
    const slots: { job: ScheduledJob; slot: Date }[] = [];
    const next: NextDue[] = [];
    for (const job of jobs) {
      // A reported job is never queued; it is due again only when its kind or schedule changes.
      if (job.kind === "reported") {
        next.push({ job, at: null });
        continue;
      }
      const slot = clock.latest(scheduleOf(job), now, job.created_at);
      if (slot) slots.push({ job, slot });
      next.push({ job, at: clock.after(scheduleOf(job), now, job.created_at) });
    }
    const rows = slots.length === 0 ? [] : await withService(sql, (tx) => tx<{ id: string; workspace_id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, scheduled_for, queued_at, params)
      select d.workspace_id, d.job_id, 'queued', 'schedule', d.slot, ${now}, d.params
      from unnest(${tx.array(slots.map((s) => s.job.workspace_id))}::uuid[],
                  ${tx.array(slots.map((s) => s.job.id))}::uuid[],
                  ${tx.array(slots.map((s) => s.slot.toISOString()))}::timestamptz[],
                  ${tx.array(slots.map((s) => JSON.stringify(s.job.default_params ?? {})))}::jsonb[])
           as d(workspace_id, job_id, slot, params)
      on conflict (job_id, scheduled_for) where trigger = 'schedule' do nothing
      returning id, workspace_id`);
    await setDueTimes(sql, "next_slot_at", next);
    return rows;
  });
  return queued.map((run) => ({ id: run.id, workspaceId: run.workspace_id }));
}

export type MissedJob = { workspaceId: string; jobId: string; dueAt: Date; incidentId: string };

/**
 * Opens a `missed` incident, with its alert, for each scheduled job whose latest slot plus grace
 * has passed with no run since that slot. A run that started a little before its slot (a clock running
 * early) still counts: anything after the middle of the previous interval does. Only jobs whose
 * latest slot plus grace has come since their last check are read.
 */
export async function markMissedJobs(sql: Sql, now: Date): Promise<MissedJob[]> {
  const clock = slotsForOneTick();
  return inParts(await dueJobs(sql, "next_check_at", now), async (jobs) => {
    const checks: { job: ScheduledJob; slot: Date | null; earliest: Date | null; next: Date | null }[] = [];
    for (const job of jobs) {
      const schedule = scheduleOf(job);
      const graceMs = job.grace_seconds * 1000;
      const checkedAt = new Date(now.getTime() - graceMs);
      const slot = clock.latest(schedule, checkedAt, job.created_at);
      const following = clock.after(schedule, checkedAt, job.created_at);
      const previous = slot && clock.before(schedule, slot);
      const earliest = slot && (previous ? new Date(slot.getTime() - (slot.getTime() - previous.getTime()) / 2) : slot);
      checks.push({ job, slot, earliest, next: following ? new Date(following.getTime() + graceMs) : null });
    }
    // One statement finds the jobs with no run since their slot and moves every other job on to
    // its next check; the unseen ones move on only after their incidents are written below, so a
    // tick that dies in between checks them again and finds those incidents open.
    const unseen = new Set(
      (await withService(sql, (tx) => tx<{ id: string }[]>`
        with due as (
          select * from unnest(${tx.array(checks.map((c) => c.job.id))}::uuid[],
                               ${tx.array(checks.map((c) => c.earliest?.toISOString() ?? null))}::timestamptz[],
                               ${tx.array(checks.map((c) => c.next?.toISOString() ?? null))}::timestamptz[],
                               ${tx.array(checks.map((c) => c.job.due_at))}::timestamptz[]) as d(id, earliest, next_at, was)
        ), unseen as (
          select d.id from due d
          join jobs j on j.id = d.id
          left join runs latest on latest.id = j.last_run_id
          -- Most jobs ran on time, and their latest run says so in one lookup; only the others are
          -- searched through their runs.
          where d.earliest is not null
            and (latest.id is null or coalesce(latest.started_at, latest.queued_at) < d.earliest)
            and not exists (select 1 from runs r where r.job_id = d.id and coalesce(r.started_at, r.queued_at) >= d.earliest)
            and not exists (select 1 from incidents i where i.job_id = d.id and i.resolved_at is null)
        ), advanced as (
          update schedule_due_times s set next_check_at = coalesce(d.next_at, 'infinity')
          from due d
          where s.job_id = d.id and s.next_check_at = d.was and not exists (select 1 from unseen u where u.id = d.id)
        )
        select id from unseen`)).map((row) => row.id),
    );
    const missed: MissedJob[] = [];
    for (const { job, slot, earliest } of checks) {
      if (!slot || !earliest || !unseen.has(job.id)) continue;
      const result = await withService(sql, async (tx) => {
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
    await setDueTimes(sql, "next_check_at", checks.filter((c) => unseen.has(c.job.id)).map((c) => ({ job: c.job, at: c.next })));
    return missed;
  });
}

export type TimedOutRun = { runId: string; workspaceId: string; jobId: string; openedIncidentId: string | null };

/**
 * Ends runs that have been `running` past their job's timeout (their executor or reporter
 * died) as `timed_out`, opening an incident and writing its alert. A run Jobboard executes gets a
 * minute's slack, so a live executor or agent ends it first; a reported run has nobody else to.
 */
export async function timeOutStuckRuns(sql: Sql, now: Date): Promise<TimedOutRun[]> {
  return withService(sql, async (tx) => {
    const stuck = await tx<{ id: string; workspace_id: string; job_id: string; timeout_seconds: number }[]>`
      update runs r set status = 'timed_out', finished_at = ${now},
             duration_ms = (extract(epoch from ${now}::timestamptz - r.started_at) * 1000)::bigint,
             message = 'Timed out: still running ' || j.timeout_seconds || ' s after it started'
      from jobs j
      where j.id = r.job_id and r.status = 'running' and j.timeout_seconds is not null
        -- What Jobboard runs is timed out by its executor or agent first; the tick is their backstop.
        and r.started_at < ${now}::timestamptz - make_interval(secs => j.timeout_seconds + case when j.kind = 'reported' then 0 else 60 end)
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

export type TickResult = { queued: QueuedRun[]; redispatched: number; missed: MissedJob[]; timedOut: TimedOutRun[]; stalled: StalledRun[]; lost: number; reminded: number; released: number };

/** One schedule tick: queue due runs, retry stuck dispatches, mark missed jobs, time out stuck runs, flag stalled ones, end lost ones, recall unacknowledged incidents, release alerts whose maintenance window has ended. */
export async function runScheduleTick(
  sql: Sql,
  now: Date,
  dispatch: (run: QueuedRun) => Promise<void>,
): Promise<TickResult> {
  // Read before queuing, so a run queued by this tick is dispatched once, not twice.
  const redispatch = await runsToRedispatch(sql, now);
  const queued = await enqueueDueRuns(sql, now);
  for (const run of [...queued, ...redispatch]) await dispatch(run);
  const missed = await markMissedJobs(sql, now);
  const timedOut = await timeOutStuckRuns(sql, now);
  const stalled = await markStalledRuns(sql, now);
  const lost = await withService(sql, (tx) => expireAgentLeases(tx));
  const reminded = await queueReminders(sql, now);
  const released = await releaseHeldAlerts(sql, now);
  return { queued, redispatched: redispatch.length, missed, timedOut, stalled, lost, reminded, released };
}
