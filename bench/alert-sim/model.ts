// What the simulated jobs do, and what Jobboard should alert about them. Worked out here from
// what the simulation makes each job do and the rules Jobboard documents, without asking
// Jobboard's own schedule code.
import { formatWallClock } from "@/lib/time";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const ZONES = [
  "UTC", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Tokyo",
  "America/Los_Angeles", "America/Chicago", "America/Sao_Paulo", "America/Santiago", "Europe/Berlin",
  "Europe/Moscow", "Africa/Cairo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Shanghai",
  "Australia/Adelaide", "Pacific/Auckland", "Pacific/Chatham", "America/St_Johns", "Asia/Tehran",
];

// Daily jobs run at hours no clock change skips or repeats: those nights are the hourly jobs' test.
export const STEADY_HOURS = [0, 3, 4, 9, 12, 17, 22];

export type AlertKind = "failed" | "timed_out" | "missed" | "recovered" | "agent_down" | "agent_back";
/** A job's own alerts. */
export const ALERT_KINDS: AlertKind[] = ["failed", "timed_out", "missed", "recovered"];
/** An agent's: one when it goes quiet, one when it is back. */
export const AGENT_ALERT_KINDS: AlertKind[] = ["agent_down", "agent_back"];
export const EVERY_KIND: AlertKind[] = [...ALERT_KINDS, ...AGENT_ALERT_KINDS];

type Schedule = { cron: string; zone: string; minute: number; hours: number[] | null } | { periodSeconds: number };

export type SimJob = {
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

export type Report = { at: number; body: Record<string, unknown> };

/** An alert Jobboard's rules call for. */
export type Expected = {
  jobKey: string;
  kind: AlertKind;
  /** When it is due: a run's end, a slot plus its grace, a start plus the timeout. */
  dueAt: number;
  /** What a maintenance window is judged by: a run's end, a missed slot, a timeout's due time. */
  moment: number;
  /** The job's incident it opens or resolves, counted from 0: a recovery shares its opening's. */
  incident: number;
  /** Told only after Jobboard's own outage: a spooled report's news, or a slot judged after the catch-up. */
  deferred?: boolean;
  /** Recorded on its agent's "agent offline" incident, not sent. */
  folded?: boolean;
};

/** Jobboard's own outages, from the last tick before to the first after, and how often a slot inside one has no run. */
export type OutagePlan = { spans: { from: number; to: number }[]; missingInside: number };

/** Documented: a slot Jobboard could not judge waits the job's grace or 10 minutes, whichever is longer, after Jobboard is back. */
const CATCH_UP_MS = 10 * MINUTE;

/** The outage whose gap the slot's window (from the slot to the slot plus grace) meets. */
function outageOf(outages: OutagePlan | undefined, slot: number, graceMs: number) {
  return outages?.spans.find((span) => slot < span.to && slot + graceMs > span.from) ?? null;
}

/** Which zones the jobs live in and at which hours the daily ones run. */
export type JobMix = { zones: string[]; dailyHours: number[] };
export const WORLD: JobMix = { zones: ZONES, dailyHours: STEADY_HOURS };

/** A small seeded generator (mulberry32), so a run can be repeated exactly. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The mix: hourly, six-hourly and daily crons in the mix's zones, and half-hourly periods. */
export function planJobs(count: number, next: () => number, mix: JobMix = WORLD): SimJob[] {
  const jobs: SimJob[] = [];
  for (let index = 0; index < count; index++) {
    const zone = mix.zones[index % mix.zones.length]!;
    const minute = Math.floor(next() * 60);
    const tier = index % 10;
    const key = `sim-${String(index).padStart(4, "0")}`;
    if (tier < 3) {
      jobs.push({ key, schedule: { cron: `${minute} * * * *`, zone, minute, hours: null }, graceSeconds: 300, timeoutSeconds: 1200, maxRunSeconds: 120, overlaps: false });
    } else if (tier < 6) {
      const hours = [0, 6, 12, 18];
      jobs.push({ key, schedule: { cron: `${minute} */6 * * *`, zone, minute, hours }, graceSeconds: 900, timeoutSeconds: 3600, maxRunSeconds: 300, overlaps: false });
    } else if (tier < 9) {
      const hour = mix.dailyHours[index % mix.dailyHours.length]!;
      jobs.push({ key, schedule: { cron: `${minute} ${hour} * * *`, zone, minute, hours: [hour] }, graceSeconds: 1800, timeoutSeconds: 7200, maxRunSeconds: 600, overlaps: false });
    } else {
      // 2.5 periods: longer than an overlapping run, and far from any slot's own reports.
      jobs.push({ key, schedule: { periodSeconds: 1800 }, graceSeconds: 180, timeoutSeconds: 4500, maxRunSeconds: 60, overlaps: true });
    }
  }
  return jobs;
}

/**
 * The slots of a schedule in (from, to), `from` being the job's creation: as documented, a slot
 * counts only once it comes after the job exists, so one at the very instant it was made does not.
 * For a cron, the first instant the zone's wall clock shows a matching minute, so an hour that
 * clocks skip has no slot and one they repeat has one. Read minute by minute from the wall clock,
 * not from a cron library. Periods count from `from`.
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
    if (index > 0) slots.push(from + index * MINUTE);
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
 * Every report a job sends, and every alert Jobboard's rules call for, over the window. The
 * rules, with thresholds of one: a failure or a timeout opens an incident and alerts, unless one
 * is open; a slot with no run by its grace opens a missed one, unless one is open; a success
 * resolves what is open and alerts its recovery.
 */
export function scriptFor(job: SimJob, from: number, to: number, next: () => number, outages?: OutagePlan): { reports: Report[]; expected: Expected[]; slots: number } {
  const reports: Report[] = [];
  type Event = { at: number; moment: number; kind: "success" | "failure" | "missed" | "timeout"; deferred?: boolean };
  const events: Event[] = [];
  /** Each run's start, and when Jobboard first hears of it: its start report, or its finish when it sends only that. */
  const starts: { at: number; knownAt: number }[] = [];
  const slots = slotsOf(job.schedule, from, to + 6 * 3_600_000);
  let counter = 0;
  // A slot inside an outage parks the job's check until its catch-up ends: a slot that falls due
  // meanwhile, after the outage, is judged then too (its run's report may be among the replays).
  let parkedUntil = 0;
  // Slots run on past the window, so its last ones end as they would, and the tail stays quiet.
  for (const slot of slots) {
    const outage = outageOf(outages, slot, job.graceSeconds * SECOND);
    if (outage) parkedUntil = outage.to + Math.max(job.graceSeconds * SECOND, CATCH_UP_MS);
    const isParked = !outage && slot + job.graceSeconds * SECOND < parkedUntil;
    // Inside Jobboard's outage, more slots than usual have no run: the catch-up must not hide them.
    const fate = outage && next() < outages!.missingInside ? "missing" : fateOf(job, next);
    // Up to 30 s early, or late but well inside the grace.
    const started = slot + Math.round((next() * (30 + job.graceSeconds * 0.4) - 30) * SECOND);
    const runId = `${job.key}-${counter++}`;
    if (fate === "missing") {
      // A slot Jobboard could not judge is judged after the catch-up, and only if still no run started since it.
      const at = outage ? outage.to + Math.max(job.graceSeconds * SECOND, CATCH_UP_MS) : isParked ? parkedUntil : slot + job.graceSeconds * SECOND;
      events.push({ at, moment: slot, kind: "missed", deferred: outage !== null || isParked });
      continue;
    }
    if (fate === "hanging") {
      starts.push({ at: started, knownAt: started });
      reports.push({ at: started, body: { event: "start", job_key: job.key, title: job.key, run_id: runId, started_at: new Date(started).toISOString() } });
      const dueAt = started + job.timeoutSeconds * SECOND;
      events.push({ at: dueAt, moment: dueAt, kind: "timeout" });
      continue;
    }
    const seconds = fate === "overlapping" ? 2700 : 5 + next() * (Math.min(job.maxRunSeconds, job.graceSeconds * 0.4) - 5);
    const finished = started + Math.round(seconds * SECOND);
    const status = fate === "failing" ? "error" : "success";
    const paired = fate === "overlapping" || next() < 0.5;
    starts.push({ at: started, knownAt: paired ? started : finished });
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
    events.push({ at: finished, moment: finished, kind: status === "error" ? "failure" : "success" });
  }
  events.sort((a, b) => a.at - b.at);
  // A slot judged after the catch-up finds the run of a later slot, if Jobboard has heard of one
  // by then (its spooled reports are replayed well inside the catch-up): no run is missing "since" it.
  const judged = events.filter((event) => !(event.deferred && event.kind === "missed" && starts.some((start) => start.at >= event.moment && start.knownAt <= event.at)));
  const expected: Expected[] = [];
  let open = false;
  let incident = -1;
  for (const event of judged) {
    if (event.kind === "success") {
      if (open) expected.push({ jobKey: job.key, kind: "recovered", dueAt: event.at, moment: event.moment, incident });
      open = false;
    } else if (!open) {
      const kind = event.kind === "failure" ? "failed" : event.kind === "timeout" ? "timed_out" : "missed";
      expected.push({ jobKey: job.key, kind, dueAt: event.at, moment: event.moment, incident: ++incident, ...(event.deferred ? { deferred: true } : {}) });
      open = true;
    }
  }
  return { reports, expected, slots: slots.filter((slot) => slot < to).length };
}
