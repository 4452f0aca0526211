import type { Sql } from "../db/sql";
import { appliedMigrationVersion, latestMigrationVersion } from "../db/migrate";
import { withService } from "../db/transactions";
import { getSchedulerState, type SchedulerStateKind } from "../schedule/state";

/** An alert pending longer than this means delivery is stuck. */
export const ALERT_WAIT_LIMIT_MS = 10 * 60_000;

/** The whole check answers within this, even when the database hangs. */
const CHECK_TIMEOUT_MS = 5000;

export type HealthProblem = "database_unreachable" | "database_not_migrated" | "scheduler_late" | "alerts_waiting";

/** What /api/health answers: no secrets, no workspace's data, only counts and ages. */
export type HealthBody = {
  status: "ok" | "failing";
  problems: HealthProblem[];
  database: { reachable: boolean; migrated: boolean | null; migration: string | null };
  scheduler: { state: SchedulerStateKind | null; lastTickAt: string | null; lastTickAgeSeconds: number | null; runner: string | null };
  alerts: { pending: number | null; oldestPendingAgeSeconds: number | null };
};

export type HealthReport = { httpStatus: 200 | 503; body: HealthBody };

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("health check timed out")), CHECK_TIMEOUT_MS).unref()),
  ]);
}

async function pendingAlerts(sql: Sql): Promise<{ pending: number; oldest: Date | null }> {
  const [row] = await withService(sql, (tx) => tx<{ pending: number; oldest: Date | null }[]>`
    select count(*)::int as pending, min(created_at) as oldest from alerts where status = 'pending'`);
  return { pending: row?.pending ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

/**
 * Jobboard's own health: 200 when the database answers and is migrated, the scheduler ticked
 * within 3 minutes (or a just-started server is waiting for its first tick) and no alert has
 * waited over 10 minutes; 503 otherwise, with what is wrong.
 */
export async function checkHealth(getSql: () => Promise<Sql>, now: Date = new Date()): Promise<HealthReport> {
  const body: HealthBody = {
    status: "ok",
    problems: [],
    database: { reachable: false, migrated: null, migration: null },
    scheduler: { state: null, lastTickAt: null, lastTickAgeSeconds: null, runner: null },
    alerts: { pending: null, oldestPendingAgeSeconds: null },
  };
  try {
    await withinTimeout((async () => {
      const sql = await getSql();
      await sql`select 1`;
      body.database.reachable = true;
      const [applied, expected] = await Promise.all([appliedMigrationVersion(sql), latestMigrationVersion()]);
      body.database.migration = applied;
      body.database.migrated = applied !== null && (expected === null || applied >= expected);
      if (!body.database.migrated) return;
      const [scheduler, alerts] = await Promise.all([getSchedulerState(sql, now), pendingAlerts(sql)]);
      body.scheduler = {
        state: scheduler.state,
        lastTickAt: scheduler.lastTickAt?.toISOString() ?? null,
        lastTickAgeSeconds: scheduler.lastTickAt ? seconds(now.getTime() - scheduler.lastTickAt.getTime()) : null,
        runner: scheduler.runner,
      };
      body.alerts = { pending: alerts.pending, oldestPendingAgeSeconds: alerts.oldest ? seconds(now.getTime() - alerts.oldest.getTime()) : null };
    })());
  } catch (error) {
    // Said here, not in the answer: a connection error can name hosts and users.
    console.warn(`Health check: ${(error as Error).message}`);
  }
  if (!body.database.reachable) body.problems.push("database_unreachable");
  else if (!body.database.migrated) body.problems.push("database_not_migrated");
  if (body.scheduler.state === "late" || body.scheduler.state === "never") body.problems.push("scheduler_late");
  if ((body.alerts.oldestPendingAgeSeconds ?? 0) * 1000 > ALERT_WAIT_LIMIT_MS) body.problems.push("alerts_waiting");
  body.status = body.problems.length === 0 ? "ok" : "failing";
  return { httpStatus: body.problems.length === 0 ? 200 : 503, body };
}

/** The route's answer: JSON, never cached. */
export async function handleHealth(getSql: () => Promise<Sql>): Promise<Response> {
  const report = await checkHealth(getSql);
  return Response.json(report.body, { status: report.httpStatus, headers: { "cache-control": "no-store" } });
}
