import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { OUTAGE_GAP_MS, type Outage } from "./outages";

export type TickRunner = "in-process" | "inngest";

/** Heartbeats kept: two days, far more than any grace a slot waits in an outage's catch-up. */
const KEPT_MS = 2 * 24 * 60 * 60_000;

/** Records a completed tick, and trims heartbeats too old to tell of an outage anyone still waits on. */
export async function recordTickHeartbeat(sql: Sql, p: { at: Date; runner: TickRunner; durationMs: number }): Promise<void> {
  await withService(sql, async (tx) => {
    await tx`
      insert into tick_heartbeats (ticked_at, runner, duration_ms)
      values (${p.at}, ${p.runner}, ${Math.max(0, Math.round(p.durationMs))})`;
    await tx`delete from tick_heartbeats where ticked_at < ${new Date(p.at.getTime() - KEPT_MS)}`;
  });
}

/**
 * Jobboard's outages up to `now`, from the gaps between heartbeats: each from the last tick
 * before the gap to the first after it, and, when the tick at `now` is the first back, the gap
 * it closes. A database with no heartbeat at all is new, not down.
 */
export async function outagesUntil(sql: Sql, now: Date): Promise<Outage[]> {
  const gap = `${OUTAGE_GAP_MS / 1000} seconds`;
  // The gap is counted from the end of the tick before: a slow tick at the top of the hour,
  // which pushes the next one back, is no outage.
  const rows = await withService(sql, (tx) => tx<{ from: Date; to: Date }[]>`
    select h.previous as from, h.ticked_at as to from (
      select ticked_at,
             lag(ticked_at) over (order by ticked_at) as previous,
             lag(ticked_at + make_interval(secs => duration_ms / 1000.0)) over (order by ticked_at) as previous_end
      from tick_heartbeats
      where ticked_at > ${new Date(now.getTime() - KEPT_MS)} and ticked_at <= ${now}
    ) h
    where h.ticked_at - h.previous_end > ${gap}::interval
    union all
    select max(ticked_at), ${now}::timestamptz from tick_heartbeats
    where ticked_at <= ${now}
    having ${now}::timestamptz - max(ticked_at + make_interval(secs => duration_ms / 1000.0)) > ${gap}::interval
    order by 1`);
  return rows.map((row) => ({ from: new Date(row.from), to: new Date(row.to) }));
}

export type TickSummary = { lastTickAt: Date | null; runner: TickRunner | null; ticksLastHour: number; lastDurationMs: number | null };

/** The latest heartbeat and how many ticks the last hour saw. */
export async function getTickSummary(sql: Sql, now: Date): Promise<TickSummary> {
  const [row] = await withService(sql, (tx) => tx<{ ticked_at: Date | null; runner: TickRunner | null; duration_ms: number | null; last_hour: number }[]>`
    select latest.ticked_at, latest.runner, latest.duration_ms,
           (select count(*)::int from tick_heartbeats where ticked_at > ${new Date(now.getTime() - 60 * 60_000)} and ticked_at <= ${now}) as last_hour
    from (select 1) one
    left join lateral (select ticked_at, runner, duration_ms from tick_heartbeats order by ticked_at desc limit 1) latest on true`);
  return {
    lastTickAt: row?.ticked_at ? new Date(row.ticked_at) : null,
    runner: row?.runner ?? null,
    ticksLastHour: row?.last_hour ?? 0,
    lastDurationMs: row?.duration_ms ?? null,
  };
}
