import type { Sql } from "../db/sql";
import { dispatchInline } from "../runs/dispatch";
import { sweepAlerts } from "../notify/notifier";
import { applyRetention } from "../retention";
import { runScheduleTick } from "./tick";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type Scheduler = { stop: () => void };
const globalForScheduler = globalThis as typeof globalThis & { __jobboardScheduler?: Scheduler };

/** One tick, then a sweep of the alert outbox: what it wrote, and whatever is still pending. */
export async function tickInProcess(sql: Sql, now: Date): Promise<void> {
  await runScheduleTick(sql, now, (run) => dispatchInline(sql, run));
  await sweepAlerts(sql);
}

/**
 * Without Inngest, this server process ticks the schedule itself once a minute (on the minute)
 * and applies retention daily (old runs, then old logs), so scheduled jobs and missed detection
 * work in the local default.
 * Not durable: nothing ticks while the server is down (the next tick catches up on missed jobs).
 */
export function startInProcessScheduler(getSqlForTick: () => Promise<Sql>): Scheduler {
  if (globalForScheduler.__jobboardScheduler) return globalForScheduler.__jobboardScheduler;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastTrim = 0;
  const tick = async () => {
    try {
      const sql = await getSqlForTick();
      await tickInProcess(sql, new Date());
      if (Date.now() - lastTrim >= DAY) {
        lastTrim = Date.now();
        await applyRetention(sql, new Date());
      }
    } catch (error) {
      console.error("schedule tick failed; the next one retries", error);
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void tick(), MINUTE - (Date.now() % MINUTE) + 500);
    timer.unref?.();
  };
  schedule();
  const scheduler = {
    stop: () => {
      if (timer) clearTimeout(timer);
      globalForScheduler.__jobboardScheduler = undefined;
    },
  };
  globalForScheduler.__jobboardScheduler = scheduler;
  return scheduler;
}
