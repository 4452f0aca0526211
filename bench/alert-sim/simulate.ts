// The alert simulator's engine: jobs on cron and period schedules in many timezones report
// through the real ingest, and the real tick checks them, on a simulated clock against a real
// PostgreSQL. What should have been alerted is worked out here, from what the simulation made
// each job do and the rules Jobboard documents, without asking Jobboard's own schedule code;
// then it is compared with the alerts Jobboard wrote to its outbox.
import { formatWallClock } from "@/lib/time";
import type { Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { reportSchema } from "@/server/ingest/schemas";
import { ingestReport } from "@/server/ingest/service";
import { markMissedJobs, timeOutStuckRuns } from "@/server/schedule/tick";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const ZONES = [
  "UTC", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Tokyo",
  "America/Los_Angeles", "America/Chicago", "America/Sao_Paulo", "America/Santiago", "Europe/Berlin",
  "Europe/Moscow", "Africa/Cairo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Shanghai",
  "Australia/Adelaide", "Pacific/Auckland", "Pacific/Chatham", "America/St_Johns", "Asia/Tehran",
];

export type AlertKind = "failed" | "timed_out" | "missed" | "recovered";
export const ALERT_KINDS: AlertKind[] = ["failed", "timed_out", "missed", "recovered"];

type Schedule = { cron: string; zone: string; minute: number; hours: number[] | null } | { periodSeconds: number };

type SimJob = {
  key: string;
  schedule: Schedule;
  graceSeconds: number;
  timeoutSeconds: number;
  /** How long an ordinary run takes at most, kept well inside the grace. */
  maxRunSeconds: number;
  /** Whether some runs last one and a half periods, so they overlap the next one. */
  overlaps: boolean;
};

/** What one scheduled slot does in the simulation. */
type Fate = "ok" | "missing" | "failing" | "hanging" | "overlapping";

type Report = { at: number; body: Record<string, unknown> };
type Expected = { jobKey: string; kind: AlertKind; dueAt: number };

export type SimOptions = {
  sql: Sql;
  workspaceId: string;
  jobs: number;
  days: number;
  start: Date;
  seed: number;
  /** Progress lines, for the command line. */
  log?: (line: string) => void;
};

export type KindResult = { expected: number; alerted: number; falseAlerts: number; missedAlerts: number };

export type SimResult = {
  jobs: number;
  slots: number;
  reports: number;
  ticks: number;
  byKind: Record<AlertKind, KindResult>;
  falseAlerts: number;
  missedAlerts: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** The first few mismatches, to start from when a run is not clean. */
  examples: string[];
  elapsedMs: number;
};

/** A small seeded generator (mulberry32), so a run can be repeated exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The mix: hourly, six-hourly and daily crons in twenty zones, and half-hourly periods. */
function planJobs(count: number, next: () => number): SimJob[] {
  const jobs: SimJob[] = [];
  for (let index = 0; index < count; index++) {
    const zone = ZONES[index % ZONES.length]!;
    const minute = Math.floor(next() * 60);
    const tier = index % 10;
    const key = `sim-${String(index).padStart(4, "0")}`;
    if (tier < 3) {
      jobs.push({ key, schedule: { cron: `${minute} * * * *`, zone, minute, hours: null }, graceSeconds: 300, timeoutSeconds: 1200, maxRunSeconds: 120, overlaps: false });
    } else if (tier < 6) {
      const hours = [0, 6, 12, 18];
      jobs.push({ key, schedule: { cron: `${minute} */6 * * *`, zone, minute, hours }, graceSeconds: 900, timeoutSeconds: 3600, maxRunSeconds: 300, overlaps: false });
    } else if (tier < 9) {
      // Daily at an hour no clock change skips or repeats: those nights are the hourly jobs' test.
      const hour = [0, 3, 4, 9, 12, 17, 22][index % 7]!;
      jobs.push({ key, schedule: { cron: `${minute} ${hour} * * *`, zone, minute, hours: [hour] }, graceSeconds: 1800, timeoutSeconds: 7200, maxRunSeconds: 600, overlaps: false });
    } else {
      // 2.5 periods: longer than an overlapping run, and far from any slot's own reports.
      jobs.push({ key, schedule: { periodSeconds: 1800 }, graceSeconds: 180, timeoutSeconds: 4500, maxRunSeconds: 60, overlaps: true });
    }
  }
  return jobs;
}

/**
 * The slots of a schedule in [from, to): for a cron, the first instant the zone's wall clock
 * shows a matching minute, so an hour that clocks skip has no slot and one they repeat has one.
 * Read minute by minute from the wall clock, not from a cron library. Periods count from `from`.
 */
function slotsOf(schedule: Schedule, from: number, to: number): number[] {
  if ("periodSeconds" in schedule) {
    const slots: number[] = [];
    for (let at = from + schedule.periodSeconds * SECOND; at < to; at += schedule.periodSeconds * SECOND) slots.push(at);
    return slots;
  }
  const slots: number[] = [];
  const seen = new Set<string>();
  const walls = wallClockMinutes(schedule.zone, from, to);
  for (let index = 0; index < walls.length; index++) {
    const wall = walls[index]!;
    if (Number(wall.slice(14, 16)) !== schedule.minute) continue;
    if (schedule.hours && !schedule.hours.includes(Number(wall.slice(11, 13)))) continue;
    if (seen.has(wall)) continue;
    seen.add(wall);
    slots.push(from + index * MINUTE);
  }
  return slots;
}

/** The zone's wall clock at every minute of [from, to), read once per zone for all its jobs. */
const wallClocks = new Map<string, string[]>();
function wallClockMinutes(zone: string, from: number, to: number): string[] {
  const key = `${zone}:${from}:${to}`;
  let walls = wallClocks.get(key);
  if (!walls) {
    walls = [];
    for (let at = from; at < to; at += MINUTE) walls.push(formatWallClock(new Date(at), zone));
    wallClocks.set(key, walls);
  }
  return walls;
}

function fateOf(job: SimJob, next: () => number): Fate {
  const roll = next();
  if (roll < 0.01) return "missing";
  if (roll < 0.04) return "failing";
  if (roll < 0.045) return "hanging";
  if (job.overlaps && roll < 0.1) return "overlapping";
  return "ok";
}

/**
 * Every report the jobs send, and every alert Jobboard's rules call for, over the window. The
 * rules, with thresholds of one: a failure or a timeout opens an incident and alerts, unless one
 * is open; a slot with no run by its grace opens a missed one, unless one is open; a success
 * resolves what is open and alerts its recovery.
 */
function scriptFor(job: SimJob, from: number, to: number, next: () => number): { reports: Report[]; expected: Expected[]; slots: number } {
  const reports: Report[] = [];
  type Event = { at: number; kind: "success" | "failure" | "missed" | "timeout" };
  const events: Event[] = [];
  const slots = slotsOf(job.schedule, from, to + 6 * 3_600_000);
  let counter = 0;
  // Slots run on past the window, so its last ones end as they would, and the tail stays quiet.
  for (const slot of slots) {
    const fate = fateOf(job, next);
    // Up to 30 s early, or late but well inside the grace.
    const started = slot + Math.round((next() * (30 + job.graceSeconds * 0.4) - 30) * SECOND);
    const runId = `${job.key}-${counter++}`;
    if (fate === "missing") {
      events.push({ at: slot + job.graceSeconds * SECOND, kind: "missed" });
      continue;
    }
    if (fate === "hanging") {
      reports.push({ at: started, body: { event: "start", job_key: job.key, title: job.key, run_id: runId, started_at: new Date(started).toISOString() } });
      events.push({ at: started + job.timeoutSeconds * SECOND, kind: "timeout" });
      continue;
    }
    const seconds = fate === "overlapping" ? 2700 : 5 + next() * (Math.min(job.maxRunSeconds, job.graceSeconds * 0.4) - 5);
    const finished = started + Math.round(seconds * SECOND);
    const status = fate === "failing" ? "error" : "success";
    const paired = fate === "overlapping" || next() < 0.5;
    if (paired) {
      reports.push({ at: started, body: { event: "start", job_key: job.key, title: job.key, run_id: runId, started_at: new Date(started).toISOString() } });
    }
    reports.push({
      at: finished,
      body: {
        event: "finish",
        job_key: job.key,
        title: job.key,
        ...(paired ? { run_id: runId } : { started_at: new Date(started).toISOString() }),
        status,
        finished_at: new Date(finished).toISOString(),
        message: status === "error" ? "simulated failure" : "ok",
      },
    });
    events.push({ at: finished, kind: status === "error" ? "failure" : "success" });
  }
  events.sort((a, b) => a.at - b.at);
  const expected: Expected[] = [];
  let open = false;
  for (const event of events) {
    if (event.kind === "success") {
      if (open) expected.push({ jobKey: job.key, kind: "recovered", dueAt: event.at });
      open = false;
    } else if (!open) {
      expected.push({ jobKey: job.key, kind: event.kind === "failure" ? "failed" : event.kind === "timeout" ? "timed_out" : "missed", dueAt: event.at });
      open = true;
    }
  }
  return { reports, expected, slots: slots.filter((slot) => slot < to).length };
}

async function createJobs(sql: Sql, workspaceId: string, jobs: SimJob[], from: number): Promise<Map<string, string>> {
  const rows = jobs.map((job) => ({
    workspace_id: workspaceId,
    job_key: job.key,
    title: job.key,
    schedule_cron: "cron" in job.schedule ? job.schedule.cron : null,
    schedule_timezone: "cron" in job.schedule ? job.schedule.zone : null,
    schedule_period_seconds: "periodSeconds" in job.schedule ? job.schedule.periodSeconds : null,
    grace_seconds: job.graceSeconds,
    timeout_seconds: job.timeoutSeconds,
    created_at: new Date(from),
  }));
  const ids = new Map<string, string>();
  for (let index = 0; index < rows.length; index += 500) {
    const created = await withService(sql, (tx) => tx<{ id: string; job_key: string }[]>`
      insert into jobs ${tx(rows.slice(index, index + 500))} returning id, job_key`);
    for (const row of created) ids.set(row.id, row.job_key);
  }
  return ids;
}

type Observed = { jobKey: string; kind: AlertKind; at: number };

function kindOf(alert: { kind: string; status: string | null }): AlertKind | null {
  if (alert.kind === "missed") return "missed";
  if (alert.kind === "recovery") return "recovered";
  if (alert.kind === "failure") return alert.status === "timed_out" ? "timed_out" : "failed";
  return null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** Runs the simulation: reports at their times, a tick every simulated minute, alerts read as they are written. */
export async function simulate(options: SimOptions): Promise<SimResult> {
  const began = Date.now();
  const next = random(options.seed);
  const from = options.start.getTime();
  const to = from + options.days * 86_400_000;
  const jobs = planJobs(options.jobs, next);
  const jobKeys = await createJobs(options.sql, options.workspaceId, jobs, from);

  let slots = 0;
  const reports: Report[] = [];
  const expected: Expected[] = [];
  for (const job of jobs) {
    const script = scriptFor(job, from, to, next);
    reports.push(...script.reports);
    expected.push(...script.expected);
    slots += script.slots;
  }
  reports.sort((a, b) => a.at - b.at);

  const observed: Observed[] = [];
  const seen = new Set<string>();
  // Alerts are written by one transaction after another, so each read starts where the last one's newest was.
  let since = new Date(0);
  const readAlerts = async (at: number) => {
    const rows = await withService(options.sql, (tx) => tx<{ id: string; job_id: string; kind: string; status: string | null; created_at: Date }[]>`
      select id, job_id, kind, detail->>'status' as status, created_at from alerts
      where workspace_id = ${options.workspaceId} and created_at >= ${since}`);
    for (const row of rows) {
      if (row.created_at > since) since = row.created_at;
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const kind = kindOf(row);
      if (kind) observed.push({ jobKey: jobKeys.get(row.job_id) ?? row.job_id, kind, at });
    }
  };

  // The clock runs on past the window until everything due in it has had its chance: the
  // longest timeout, and then some. What comes due after the window is not judged.
  const end = to + Math.max(...jobs.map((job) => job.timeoutSeconds + job.graceSeconds)) * SECOND + 10 * MINUTE;
  let nextReport = 0;
  let ticks = 0;
  for (let tick = from + MINUTE; tick <= end; tick += MINUTE) {
    while (nextReport < reports.length && reports[nextReport]!.at <= tick) {
      const report = reports[nextReport++]!;
      const result = await ingestReport(options.sql, { workspaceId: options.workspaceId, report: reportSchema.parse(report.body), now: new Date(report.at) });
      if (result.alertQueued) await readAlerts(report.at);
    }
    const missed = await markMissedJobs(options.sql, new Date(tick));
    const timedOut = await timeOutStuckRuns(options.sql, new Date(tick));
    if (missed.length > 0 || timedOut.some((run) => run.openedIncidentId)) await readAlerts(tick);
    ticks++;
    if (options.log && ticks % 1440 === 0) options.log(`day ${ticks / 1440} of ${options.days}: ${nextReport} reports, ${observed.length} alerts`);
  }

  // Pair each expected alert with the first unpaired observed one of its job and kind, at or after it is due.
  const byKind = Object.fromEntries(ALERT_KINDS.map((kind) => [kind, { expected: 0, alerted: 0, falseAlerts: 0, missedAlerts: 0 }])) as Record<AlertKind, KindResult>;
  const pending = new Map<string, Observed[]>();
  for (const alert of observed) {
    byKind[alert.kind].alerted++;
    const key = `${alert.jobKey}:${alert.kind}`;
    pending.set(key, [...(pending.get(key) ?? []), alert]);
  }
  const latencies: number[] = [];
  const examples: string[] = [];
  for (const want of expected.filter((alert) => alert.dueAt < to).sort((a, b) => a.dueAt - b.dueAt)) {
    byKind[want.kind].expected++;
    const candidates = pending.get(`${want.jobKey}:${want.kind}`) ?? [];
    const index = candidates.findIndex((alert) => alert.at >= want.dueAt);
    if (index === -1) {
      byKind[want.kind].missedAlerts++;
      if (examples.length < 10) examples.push(`no ${want.kind} alert for ${want.jobKey}, due ${new Date(want.dueAt).toISOString()}`);
      continue;
    }
    const [match] = candidates.splice(index, 1);
    latencies.push(match!.at - want.dueAt);
  }
  for (const left of pending.values()) {
    // What was alerted after the window may be about what came due after it: not judged.
    for (const alert of left.filter((unpaired) => unpaired.at < to)) {
      byKind[alert.kind].falseAlerts++;
      if (examples.length < 10) examples.push(`unexpected ${alert.kind} alert for ${alert.jobKey} at ${new Date(alert.at).toISOString()}`);
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    jobs: jobs.length,
    slots,
    reports: reports.length,
    ticks,
    byKind,
    falseAlerts: ALERT_KINDS.reduce((sum, kind) => sum + byKind[kind].falseAlerts, 0),
    missedAlerts: ALERT_KINDS.reduce((sum, kind) => sum + byKind[kind].missedAlerts, 0),
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? 0 },
    examples,
    elapsedMs: Date.now() - began,
  };
}
