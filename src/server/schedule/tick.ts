import type { Sql } from "../db/sql";
import { withService, type Tx } from "../db/transactions";
import { markOfflineAgents } from "../agent-offline/incidents";
import { expireAgentLeases } from "../agents/service";
import { queueReminders } from "../incidents/reminders";
import { releaseHeldAlerts } from "../notify/held";
import { markStalledRuns, type StalledRun } from "./stalls";
import { recordIncident } from "../incidents/transitions";
import { timeOutRun } from "../incidents/run-end";
import { queueIncidentAlert } from "../notify/outbox";
import { slotsForOneTick } from "./slots";
import { outagesUntil, recordTickHeartbeat, type TickRunner } from "./heartbeats";
import { CATCH_UP_MS, catchUpEndsAt, outageOfSlot, type Outage } from "./outages";
import { pingHeartbeatUrl } from "./self-ping";

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

type DueClock = "next_slot_at" | "next_check_at";

/** ScheduledJob's columns, due on `clock`, from schedule_due_times `d` joined to each job and its workspace. */
const scheduledJobsDueOn = (tx: Tx, clock: DueClock) => tx`
  select j.id, j.workspace_id, j.kind, j.schedule_cron, j.schedule_timezone, j.schedule_period_seconds,
         coalesce(j.grace_seconds, w.default_grace_seconds) as grace_seconds, j.created_at, j.default_params,
         d.${tx(clock)}::text as due_at
  from schedule_due_times d
  join jobs j on j.id = d.job_id
  join workspaces w on w.id = j.workspace_id`;

/** Scheduled jobs due by `now` on one of the two clocks each keeps in schedule_due_times, read through its index. */
async function dueJobs(sql: Sql, clock: DueClock, now: Date): Promise<ScheduledJob[]> {
  return withService(sql, (tx) => tx<ScheduledJob[]>`
    ${scheduledJobsDueOn(tx, clock)}
    where d.${tx(clock)} <= ${now}
    order by d.${tx(clock)}
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

type SlotClock = ReturnType<typeof slotsForOneTick>;

/**
 * A job's next miss check: when it falls (slot plus grace, null when the schedule has no next
 * slot), the earliest start that counts for its slot, and where the check moves once such a
 * run arrives (the database moves it then; see schedule_due_times).
 */
type NextCheck = { at: Date | null; countsFrom: Date | null; afterRun: Date | null };

/** The earliest start that still counts for `slot`: a clock running early reports a little before it. */
function earliestFor(clock: SlotClock, job: ScheduledJob, slot: Date): Date {
  const previous = clock.before(scheduleOf(job), slot);
  return previous ? new Date(slot.getTime() - (slot.getTime() - previous.getTime()) / 2) : slot;
}

/** The check of `slot` (null: no slot to check), with what a run for it will change. */
function checkOf(clock: SlotClock, job: ScheduledJob, slot: Date | null): NextCheck {
  if (!slot) return { at: null, countsFrom: null, afterRun: null };
  const graceMs = job.grace_seconds * 1000;
  const following = clock.after(scheduleOf(job), slot, job.created_at);
  return {
    at: new Date(slot.getTime() + graceMs),
    countsFrom: earliestFor(clock, job, slot),
    afterRun: following ? new Date(following.getTime() + graceMs) : null,
  };
}

/** The slot after a job's next one, worked out ahead (see queueSlotsWorkedOutAhead). */
type SlotAhead = { at: Date | null; countsFrom: Date | null };

/**
 * What one write changes of a job's due times: its next slot, its next check, what follows its
 * next slot, or several. A new next slot clears what was worked out for the old one.
 */
type DueWrite = { job: ScheduledJob; slot?: Date | null; check?: NextCheck; ahead?: SlotAhead };

const iso = (at: Date | null | undefined) => at?.toISOString() ?? null;

/**
 * Writes due times ("infinity" for a schedule with no next slot or check), unless the job's
 * schedule changed since it was read (`guard`'s value is no longer the one read) and reset them.
 */
async function writeDueTimes(sql: Sql, guard: "next_slot_at" | "next_check_at", writes: DueWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await withService(sql, (tx) => tx`
    update schedule_due_times s set
      next_slot_at = case when d.has_slot then coalesce(d.slot, 'infinity') else s.next_slot_at end,
      next_check_at = case when d.has_check then coalesce(d.check_at, 'infinity') else s.next_check_at end,
      counts_from = case when d.has_check then d.counts_from else s.counts_from end,
      check_after_run_at = case when d.has_check then d.after_run else s.check_after_run_at end,
      slot_after_at = case when d.has_slot then null when d.has_ahead then coalesce(d.ahead_at, 'infinity') else s.slot_after_at end,
      slot_after_counts_from = case when d.has_slot then null when d.has_ahead then d.ahead_counts_from else s.slot_after_counts_from end
    from unnest(${tx.array(writes.map((w) => w.job.id))}::uuid[],
                ${tx.array(writes.map((w) => w.slot !== undefined))}::boolean[],
                ${tx.array(writes.map((w) => iso(w.slot)))}::timestamptz[],
                ${tx.array(writes.map((w) => w.check !== undefined))}::boolean[],
                ${tx.array(writes.map((w) => iso(w.check?.at)))}::timestamptz[],
                ${tx.array(writes.map((w) => iso(w.check?.countsFrom)))}::timestamptz[],
                ${tx.array(writes.map((w) => iso(w.check?.afterRun)))}::timestamptz[],
                ${tx.array(writes.map((w) => w.ahead !== undefined))}::boolean[],
                ${tx.array(writes.map((w) => iso(w.ahead?.at)))}::timestamptz[],
                ${tx.array(writes.map((w) => iso(w.ahead?.countsFrom)))}::timestamptz[],
                ${tx.array(writes.map((w) => w.job.due_at))}::timestamptz[])
         as d(id, has_slot, slot, has_check, check_at, counts_from, after_run, has_ahead, ahead_at, ahead_counts_from, was)
    where s.job_id = d.id and s.${tx(guard)} = d.was`);
}

/** The jobs queued in the database alone are split in this many parts, each on its own connection (see inParts). */
const PARTS = 2;

/**
 * Queues, inside the database, the slots of the jobs whose following slot the tick worked out
 * ahead: one statement per part moves each job on to that slot and its check, and inserts its
 * run. Nothing is read into the tick and sent back, which at the top of the hour was most of
 * its minute. A job whose tick was down past its following slot is left to the path below,
 * which queues the latest slot instead.
 */
async function queueSlotsWorkedOutAhead(sql: Sql, now: Date): Promise<QueuedRun[]> {
  const parts = await Promise.all(Array.from({ length: PARTS }, (_, part) => withService(sql, (tx) => tx<QueuedRun[]>`
    with due as (
      select d.job_id, d.next_slot_at as slot, d.slot_after_at as following, d.slot_after_counts_from as counts_from
      from schedule_due_times d
      -- A schedule change resets next_slot_at to -infinity and leaves the path below to clear
      -- what was worked out for the old schedule.
      where d.next_slot_at > '-infinity' and d.next_slot_at <= ${now}
        and d.slot_after_at > ${now} and d.slot_after_at < 'infinity'
        and get_byte(uuid_send(d.job_id), 15) % ${PARTS} = ${part}
      order by d.next_slot_at
      limit ${DUE_PER_TICK / PARTS}
      -- Rows another tick is queuing are left to it, not waited for: two ticks never deadlock.
      for update of d skip locked
    ), moved as (
      update schedule_due_times s
      set next_slot_at = due.following,
          next_check_at = due.following + make_interval(secs => coalesce(j.grace_seconds, w.default_grace_seconds)),
          counts_from = due.counts_from, check_after_run_at = null,
          slot_after_at = null, slot_after_counts_from = null
      from due
      join jobs j on j.id = due.job_id
      join workspaces w on w.id = j.workspace_id
      where s.job_id = due.job_id and s.next_slot_at = due.slot and s.slot_after_at = due.following
        and j.kind <> 'reported'
      returning s.job_id, due.slot, j.workspace_id, j.default_params
    )
    insert into runs (workspace_id, job_id, status, trigger, scheduled_for, queued_at, params)
    select m.workspace_id, m.job_id, 'queued', 'schedule', m.slot, ${now}, m.default_params
    from moved m
    on conflict (job_id, scheduled_for) where trigger = 'schedule' do nothing
    returning id, workspace_id as "workspaceId"`)));
  return parts.flat();
}

/**
 * Queues a run for every managed job whose latest slot has come. The unique (job_id,
 * scheduled_for) index makes it idempotent: two ticks, or two servers, queue a slot once.
 * A tick that was down a long while queues each job's latest slot once, not every slot missed.
 * Only jobs whose next slot has come are read. Answers the runs it queued, to dispatch.
 */
export async function enqueueDueRuns(sql: Sql, now: Date): Promise<QueuedRun[]> {
  const clock = slotsForOneTick();
  const inDatabase = await queueSlotsWorkedOutAhead(sql, now);
  const queued = await inParts(await dueJobs(sql, "next_slot_at", now), async (jobs) => {
    const slots: { job: ScheduledJob; slot: Date }[] = [];
    const next: DueWrite[] = [];
    for (const job of jobs) {
      // A reported job is never queued; it is due again only when its kind or schedule changes.
      if (job.kind === "reported") {
        next.push({ job, slot: null });
        continue;
      }
      const slot = clock.latest(scheduleOf(job), now, job.created_at);
      const following = clock.after(scheduleOf(job), now, job.created_at);
      if (!slot) {
        next.push({ job, slot: following });
        continue;
      }
      // The run queued now counts for every slot up to this one, so the first check it can
      // fail is the following slot's: moved here, in the same write, rather than by the
      // database when the run is inserted (a second write of the same rows at the top of the hour).
      slots.push({ job, slot });
      next.push({ job, slot: following, check: checkOf(clock, job, following) });
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
    await writeDueTimes(sql, "next_slot_at", next);
    return rows;
  });
  return [...inDatabase, ...queued.map((run) => ({ id: run.id, workspaceId: run.workspace_id }))];
}

export type MissedJob = { workspaceId: string; jobId: string; dueAt: Date; incidentId: string; outage: Outage | null };

/**
 * Opens a `missed` incident, with its alert, for each scheduled job whose latest slot plus grace
 * has passed with no run since that slot. A run that started a little before its slot (a clock running
 * early) still counts: anything after the middle of the previous interval does. Only jobs whose
 * latest slot plus grace has come since their last check are read. A slot that fell inside one
 * of `outages` (Jobboard's own) is judged only once its catch-up is over (see outages.ts).
 */
export async function markMissedJobs(sql: Sql, now: Date, outages: readonly Outage[] = []): Promise<MissedJob[]> {
  return (await checkDueJobs(sql, now, outages)).missed;
}

/**
 * Moves the checks of slots that fell inside an outage to the end of their catch-up, unless a
 * schedule change reset them since they were read. A run that arrives meanwhile moves them on
 * as it always does.
 */
async function deferChecks(sql: Sql, deferred: { job: ScheduledJob; until: Date }[]): Promise<void> {
  if (deferred.length === 0) return;
  await withService(sql, (tx) => tx`
    update schedule_due_times s set next_check_at = d.until
    from unnest(${tx.array(deferred.map((d) => d.job.id))}::uuid[],
                ${tx.array(deferred.map((d) => d.until.toISOString()))}::timestamptz[],
                ${tx.array(deferred.map((d) => d.job.due_at))}::timestamptz[]) as d(id, until, was)
    where s.job_id = d.id and s.next_check_at = d.was`);
}

/** markMissedJobs, with how many jobs were due for a check. */
async function checkDueJobs(sql: Sql, now: Date, outages: readonly Outage[]): Promise<{ missed: MissedJob[]; checked: number }> {
  const clock = slotsForOneTick();
  const due = await dueJobs(sql, "next_check_at", now);
  const missed = await inParts(due, async (jobs) => {
    const checks: { job: ScheduledJob; slot: Date | null; earliest: Date | null; next: NextCheck; outage: Outage | null }[] = [];
    const deferred: { job: ScheduledJob; until: Date }[] = [];
    for (const job of jobs) {
      const checkedAt = new Date(now.getTime() - job.grace_seconds * 1000);
      const slot = clock.latest(scheduleOf(job), checkedAt, job.created_at);
      const earliest = slot && earliestFor(clock, job, slot);
      const outage = slot && outageOfSlot(outages, slot, job.grace_seconds * 1000);
      if (outage && catchUpEndsAt(outage, job.grace_seconds * 1000) > now) {
        deferred.push({ job, until: catchUpEndsAt(outage, job.grace_seconds * 1000) });
        continue;
      }
      checks.push({ job, slot, earliest, outage, next: checkOf(clock, job, clock.after(scheduleOf(job), checkedAt, job.created_at)) });
    }
    await deferChecks(sql, deferred);
    // One statement finds the jobs with no run since their slot and moves every other job on to
    // its next check; the unseen ones move on only after their incidents are written below, so a
    // tick that dies in between checks them again and finds those incidents open.
    const unseen = new Set(
      (await withService(sql, (tx) => tx<{ id: string }[]>`
        with due as (
          select * from unnest(${tx.array(checks.map((c) => c.job.id))}::uuid[],
                               ${tx.array(checks.map((c) => iso(c.earliest)))}::timestamptz[],
                               ${tx.array(checks.map((c) => iso(c.next.at)))}::timestamptz[],
                               ${tx.array(checks.map((c) => iso(c.next.countsFrom)))}::timestamptz[],
                               ${tx.array(checks.map((c) => iso(c.next.afterRun)))}::timestamptz[],
                               ${tx.array(checks.map((c) => c.job.due_at))}::timestamptz[])
                   as d(id, earliest, next_at, counts_from, after_run, was)
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
          update schedule_due_times s
          set next_check_at = coalesce(d.next_at, 'infinity'), counts_from = d.counts_from, check_after_run_at = d.after_run
          from due d
          where s.job_id = d.id and s.next_check_at = d.was and not exists (select 1 from unseen u where u.id = d.id)
        )
        select id from unseen`)).map((row) => row.id),
    );
    const missed: MissedJob[] = [];
    for (const { job, slot, earliest, outage } of checks) {
      if (!slot || !earliest || !unseen.has(job.id)) continue;
      const result = await withService(sql, async (tx) => {
        const grace = `${Math.round(job.grace_seconds / 60)} min grace`;
        const incident = await recordIncident(tx, {
          workspaceId: job.workspace_id,
          jobId: job.id,
          kind: "missed",
          runId: null,
          at: new Date(slot.getTime() + job.grace_seconds * 1000),
          message: outage
            ? `No run since ${slot.toISOString()} (due, plus ${grace}; Jobboard itself was down from ${outage.from.toISOString()} to ${outage.to.toISOString()})`
            : `No run since ${slot.toISOString()} (due, plus ${grace})`,
          missedSince: earliest,
        });
        if (!incident.isNew) return null;
        const outageDetail = outage ? { outage_from: outage.from.toISOString(), outage_to: outage.to.toISOString() } : {};
        const missedAlert = { kind: "missed", detail: { due_at: slot.toISOString(), ...outageDetail } } as const;
        await queueIncidentAlert(tx, { workspaceId: job.workspace_id, jobId: job.id, incidentId: incident.incidentId, ...missedAlert });
        return incident.incidentId;
      });
      if (result) missed.push({ workspaceId: job.workspace_id, jobId: job.id, dueAt: slot, incidentId: result, outage });
    }
    await writeDueTimes(sql, "next_check_at", checks.filter((c) => unseen.has(c.job.id)).map((c) => ({ job: c.job, check: c.next })));
    return missed;
  });
  return { missed, checked: due.length };
}

/** Jobs a tick fills in again at most: enough to keep up with a top of the hour within minutes. */
const REFILLS_PER_TICK = 1000;

/**
 * Works out again what a run would change for the jobs whose runs have moved their checks on
 * (see schedule_due_times), soonest check first, as many as `budget`: the tick spends on this
 * what its due jobs left over, so the minute thousands of slots fall due does no refilling.
 */
export async function refillRunChecks(sql: Sql, now: Date, budget: number): Promise<number> {
  if (budget <= 0) return 0;
  const jobs = await withService(sql, (tx) => tx<ScheduledJob[]>`
    ${scheduledJobsDueOn(tx, "next_check_at")}
    where d.check_after_run_at is null and d.next_check_at > ${now} and d.next_check_at < 'infinity'
    order by d.next_check_at
    limit ${budget}`);
  const clock = slotsForOneTick();
  // A run moved each of these to its following slot's check, so the slot is the check less grace.
  await writeDueTimes(sql, "next_check_at", jobs.map((job) => ({
    job,
    check: checkOf(clock, job, new Date(new Date(job.due_at).getTime() - job.grace_seconds * 1000)),
  })));
  return jobs.length;
}

/**
 * Works out the slot after the next one for managed jobs that lack it, soonest slot first, as
 * many as `budget`, so that queuing their next slot takes the database alone
 * (queueSlotsWorkedOutAhead). Answers how many it worked out.
 */
export async function refillSlotsAhead(sql: Sql, now: Date, budget: number): Promise<number> {
  if (budget <= 0) return 0;
  const jobs = await withService(sql, (tx) => tx<ScheduledJob[]>`
    ${scheduledJobsDueOn(tx, "next_slot_at")}
    where d.slot_after_at is null and d.next_slot_at > ${now} and d.next_slot_at < 'infinity' and j.kind <> 'reported'
    order by d.next_slot_at
    limit ${budget}`);
  const clock = slotsForOneTick();
  await writeDueTimes(sql, "next_slot_at", jobs.map((job) => {
    const following = slotQueuedAfter(clock, job, new Date(job.due_at));
    return { job, ahead: { at: following, countsFrom: following && earliestFor(clock, job, following) } };
  }));
  return jobs.length;
}

/**
 * The next slot after `slot` that the tick would queue as a run of its own. On a night clocks
 * fall back, an hour happens twice and its second time is named by its first, already queued:
 * the tick queues nothing then, so the database must skip it too.
 */
function slotQueuedAfter(clock: SlotClock, job: ScheduledJob, slot: Date): Date | null {
  let next = clock.after(scheduleOf(job), slot, job.created_at);
  for (let repeats = 0; next && repeats < 2; repeats++) {
    const named = clock.latest(scheduleOf(job), next, job.created_at);
    if (!named || named > slot) return next;
    next = clock.after(scheduleOf(job), next, job.created_at);
  }
  return next;
}

export type TimedOutRun = { runId: string; workspaceId: string; jobId: string; openedIncidentId: string | null };

/**
 * Ends runs that have been `running` past their job's timeout (their executor or reporter
 * died) as `timed_out`, opening an incident and writing its alert. A run Jobboard executes gets a
 * minute's slack, so a live executor or agent ends it first; a reported run has nobody else to.
 * A run that ran out inside one of `outages` (Jobboard's own) waits the same catch-up as a slot
 * (see outages.ts): its finish may be spooled, about to be replayed.
 */
export async function timeOutStuckRuns(sql: Sql, now: Date, outages: readonly Outage[] = []): Promise<TimedOutRun[]> {
  return withService(sql, async (tx) => {
    // Ended when it ran out, not when the tick noticed (up to a minute later): a success that
    // finished in between is newer news, and resolves the incident at once (private.time_out_run).
    const stuck = await tx<{ id: string; workspace_id: string; job_id: string }[]>`
      select r.id, r.workspace_id, r.job_id
      from runs r join jobs j on j.id = r.job_id
      where r.status = 'running' and j.timeout_seconds is not null
        -- What Jobboard runs is timed out by its executor or agent first; the tick is their backstop.
        and r.started_at < ${now}::timestamptz - make_interval(secs => j.timeout_seconds + case when j.kind = 'reported' then 0 else 60 end)
        and not exists (
          select 1 from unnest(${outages.map((o) => o.from.toISOString())}::timestamptz[], ${outages.map((o) => o.to.toISOString())}::timestamptz[]) as o(gap_from, gap_to)
          join workspaces w on w.id = j.workspace_id
          where r.started_at + make_interval(secs => j.timeout_seconds) > o.gap_from
            and r.started_at + make_interval(secs => j.timeout_seconds) < o.gap_to
            and ${now}::timestamptz < o.gap_to + greatest(make_interval(secs => coalesce(j.grace_seconds, w.default_grace_seconds)), ${`${CATCH_UP_MS / 1000} seconds`}::interval))
      order by r.started_at
      for update of r skip locked`;
    const timedOut: TimedOutRun[] = [];
    for (const run of stuck) {
      const effects = await timeOutRun(tx, run.id);
      if (effects) timedOut.push({ runId: run.id, workspaceId: run.workspace_id, jobId: run.job_id, openedIncidentId: effects.openedIncidentId });
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

export type TickResult = { queued: QueuedRun[]; redispatched: number; missed: MissedJob[]; timedOut: TimedOutRun[]; stalled: StalledRun[]; lost: number; reminded: number; released: number; agentsOffline: number };

/**
 * One schedule tick: queue due runs, retry stuck dispatches, mark missed jobs (judging slots that
 * fell inside Jobboard's own outage only after their catch-up), time out stuck runs, flag stalled
 * ones, end lost ones, recall unacknowledged incidents, release alerts whose maintenance window
 * has ended; then leave a heartbeat and ping JOBBOARD_HEARTBEAT_URL. Both runners (the server
 * process and Inngest) tick through here, so each tick is recorded in one place.
 */
export async function runScheduleTick(
  sql: Sql,
  now: Date,
  dispatch: (run: QueuedRun) => Promise<void>,
  runner: TickRunner = "in-process",
): Promise<TickResult> {
  const startedAt = Date.now();
  // Read before this tick's heartbeat: when it is the first back after a gap, the gap is an outage.
  const outages = await outagesUntil(sql, now);
  // Before misses and leases, so the misses and lost runs of an agent gone quiet find its incident open (see foldTargetsOf).
  const agentsOffline = await markOfflineAgents(sql);
  // Read before queuing, so a run queued by this tick is dispatched once, not twice.
  const redispatch = await runsToRedispatch(sql, now);
  const queued = await enqueueDueRuns(sql, now);
  for (const run of [...queued, ...redispatch]) await dispatch(run);
  const { missed, checked } = await checkDueJobs(sql, now, outages);
  const budget = REFILLS_PER_TICK - queued.length - checked;
  await refillRunChecks(sql, now, budget - (await refillSlotsAhead(sql, now, budget)));
  const timedOut = await timeOutStuckRuns(sql, now, outages);
  const stalled = await markStalledRuns(sql, now);
  const lost = await withService(sql, (tx) => expireAgentLeases(tx));
  const reminded = await queueReminders(sql, now);
  const released = await releaseHeldAlerts(sql, now);
  await recordTickHeartbeat(sql, { at: now, runner, durationMs: Date.now() - startedAt });
  await pingHeartbeatUrl();
  return { queued, redispatched: redispatch.length, missed, timedOut, stalled, lost, reminded, released, agentsOffline };
}
