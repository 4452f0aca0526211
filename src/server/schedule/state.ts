import { getEnv, isInngestConfigured, type Env } from "@/lib/env";
import type { Sql } from "../db/sql";
import { getTickSummary, type TickRunner, type TickSummary } from "./heartbeats";

/** A tick older than this means the scheduler is late: ticks come every minute. */
export const LATE_AFTER_MS = 3 * 60_000;

/** How long a server just started, that expects a scheduler but has never seen a tick, waits for the first. */
export const STARTUP_GRACE_MS = 3 * 60_000;

/**
 * ok: ticking; late: the last tick is too old; never: no tick ever, and none is coming;
 * starting: no tick yet, but this server has just started a scheduler that will tick.
 */
export type SchedulerStateKind = "ok" | "late" | "never" | "starting";

/** Why the scheduler is likely late, for admins: what this server's configuration says. */
export type SchedulerCause = "inngest" | "none" | "failing";

export type SchedulerState = TickSummary & { state: SchedulerStateKind; cause: SchedulerCause | null };

/** Whether this deployment has a scheduler at all: Inngest's function, or the server's own. */
function schedulerCause(env: Env): SchedulerCause {
  if (isInngestConfigured(env)) return "inngest";
  return env.JOBBOARD_IN_PROCESS_SCHEDULER === "0" ? "none" : "failing";
}

/** The state, from the latest heartbeat, the time, and how long this process has been up. */
export function deriveSchedulerState(ticks: TickSummary, p: { now: Date; uptimeMs: number; env: Env }): SchedulerState {
  const cause = schedulerCause(p.env);
  if (ticks.lastTickAt && p.now.getTime() - ticks.lastTickAt.getTime() <= LATE_AFTER_MS) return { ...ticks, state: "ok", cause: null };
  if (ticks.lastTickAt) return { ...ticks, state: "late", cause };
  // A fresh install's first tick comes within a minute of its start; with no scheduler it never comes.
  const isExpected = cause !== "none";
  return { ...ticks, state: isExpected && p.uptimeMs < STARTUP_GRACE_MS ? "starting" : "never", cause };
}

/** The scheduler's state now, for the banner, the overview and /api/health. */
export async function getSchedulerState(sql: Sql, now: Date = new Date()): Promise<SchedulerState> {
  return deriveSchedulerState(await getTickSummary(sql, now), { now, uptimeMs: process.uptime() * 1000, env: getEnv() });
}

/** Late or never: missed-job detection is off, and every page says so. */
export const isSchedulerDown = (state: SchedulerState) => state.state === "late" || state.state === "never";

export type { TickRunner };
