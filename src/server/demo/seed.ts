import type { Sql } from "../db/sql";
import { withService, type Tx } from "../db/transactions";
import { createUser } from "../auth/users";
import { createWorkspace } from "../workspaces/service";
import { taskParamsJsonSchema } from "../tasks";
import { DEMO_WORKSPACE_SLUG } from "./names";

export const DEMO_PASSWORD = "jobboard-demo";
export const DEMO_USERS = {
  owner: "demo@jobboard.local",
  operator: "operator@jobboard.local",
  viewer: "viewer@jobboard.local",
} as const;

export const RECAP_STAGES = ["Fetch", "Preprocess", "Dedup", "Genre", "Select", "Evidence", "Dispatch", "Persist"];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type JobSeed = {
  key: string;
  task?: string;
  timeoutSeconds?: number;
  paramsSchema?: Record<string, unknown>;
  defaultParams?: Record<string, unknown>;
  title: string;
  description: string;
  cron?: string;
  periodSeconds?: number;
  graceSeconds?: number;
  paused?: boolean;
  tags: string[];
  toolId?: string;
};

type RunSeed = {
  status: "succeeded" | "failed" | "running";
  startedAt: Date;
  durationMs?: number;
  exitCode?: number;
  message?: string;
  stderr?: string;
  host: string;
  stages?: string[];
  currentStage?: string;
  percent?: number;
};

const SALES_TRACEBACK = `Traceback (most recent call last):
  File "C:\\jobs\\sales_report\\export.py", line 88, in <module>
    main()
  File "C:\\jobs\\sales_report\\export.py", line 61, in main
    rows = fetch_orders(conn, since=yesterday)
  File "C:\\jobs\\sales_report\\db.py", line 23, in fetch_orders
    cursor.execute(QUERY, params)
pyodbc.OperationalError: ('08S01', '[08S01] [Microsoft][ODBC Driver 18 for SQL Server]TCP Provider: 既存の接続はリモート ホストに強制的に切断されました。 (10054)')`;

async function insertJob(tx: Tx, workspaceId: string, job: JobSeed): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, description, schedule_cron, schedule_timezone,
                      schedule_period_seconds, grace_seconds, paused, tags, tool_id, params_schema, default_params,
                      kind, task_name, timeout_seconds)
    values (${workspaceId}, ${job.key}, ${job.title}, ${job.description}, ${job.cron ?? null},
            ${job.cron ? "Asia/Tokyo" : null}, ${job.periodSeconds ?? null}, ${job.graceSeconds ?? null},
            ${job.paused ?? false}, ${job.tags}, ${job.toolId ?? null},
            ${job.paramsSchema ? tx.json(job.paramsSchema as never) : null}, ${tx.json((job.defaultParams ?? {}) as never)},
            ${job.task ? "task" : "reported"}, ${job.task ?? null}, ${job.timeoutSeconds ?? null})
    returning id`;
  return row!.id;
}

async function insertRun(tx: Tx, workspaceId: string, jobId: string, run: RunSeed): Promise<string> {
  const finishedAt = run.durationMs === undefined ? null : new Date(run.startedAt.getTime() + run.durationMs);
  const [row] = await tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, status, trigger, queued_at, started_at, finished_at,
                      duration_ms, exit_code, message, stderr_tail, host, stages, current_stage, progress_percent)
    values (${workspaceId}, ${jobId}, ${run.status}, 'report', ${run.startedAt}, ${run.startedAt}, ${finishedAt},
            ${run.durationMs ?? null}, ${run.exitCode ?? null}, ${run.message ?? null}, ${run.stderr ?? null},
            ${run.host}, ${run.stages ?? null}, ${run.currentStage ?? null}, ${run.percent ?? null})
    returning id`;
  return row!.id;
}

/** Daily runs at a fixed hour over the last `days` days, oldest first. */
function daily(now: Date, days: number, hourUtc: number): Date[] {
  const dates: Date[] = [];
  for (let day = days; day >= 1; day--) {
    const date = new Date(now.getTime() - day * DAY);
    date.setUTCHours(hourUtc, 0, 0, 0);
    dates.push(date);
  }
  return dates;
}

/** A varied but repeatable duration around `baseMs`. */
function jitter(baseMs: number, index: number): number {
  return Math.round(baseMs * (0.85 + ((index * 37) % 30) / 100));
}

async function seedDemoWorkspace(tx: Tx, ownerId: string, now: Date): Promise<string> {
  const workspace = await createWorkspace(tx, {
    name: "Demo",
    slug: DEMO_WORKSPACE_SLUG,
    ownerId,
    ownerLabel: DEMO_USERS.owner,
  });
  const ws = workspace.id;

  const backup = await insertJob(tx, ws, {
    key: "nightly-db-backup",
    title: "Nightly database backup",
    description: "pg_dump of the production database to object storage.",
    cron: "0 3 * * *",
    graceSeconds: 1800,
    tags: ["infra", "daily"],
  });
  for (const [index, startedAt] of daily(now, 14, 18).entries()) {
    await insertRun(tx, ws, backup, {
      status: "succeeded",
      startedAt,
      durationMs: jitter(5 * MINUTE, index),
      exitCode: 0,
      message: "Backup uploaded",
      host: "db-01",
    });
  }

  const sales = await insertJob(tx, ws, {
    key: "sales-report-export",
    title: "Sales report export",
    description: "Windows Task Scheduler: exports yesterday's orders to the shared drive.",
    cron: "30 7 * * *",
    graceSeconds: 900,
    tags: ["windows", "reports"],
    toolId: "sales-report",
  });
  const salesDays = daily(now, 10, 22);
  let firstFailure: string | undefined;
  let lastFailure: string | undefined;
  for (const [index, startedAt] of salesDays.entries()) {
    const isFailing = index >= salesDays.length - 2;
    const runId = await insertRun(tx, ws, sales, {
      status: isFailing ? "failed" : "succeeded",
      startedAt,
      durationMs: jitter(42_000, index),
      exitCode: isFailing ? 1 : 0,
      message: isFailing ? "DB connection reset while fetching orders" : "売上レポートを出力しました (1,284 rows)",
      stderr: isFailing ? SALES_TRACEBACK : undefined,
      host: "WIN-REPORT01",
    });
    if (isFailing) {
      firstFailure ??= runId;
      lastFailure = runId;
    }
  }
  await tx`
    insert into incidents (workspace_id, job_id, kind, opened_at, first_run_id, last_run_id, failure_count, last_message)
    values (${ws}, ${sales}, 'failed', ${salesDays[salesDays.length - 2]!}, ${firstFailure!}, ${lastFailure!}, 2,
            'DB connection reset while fetching orders')`;

  const recap = await insertJob(tx, ws, {
    key: "recap-pipeline",
    title: "Recap pipeline",
    description: "Fetch → Preprocess → Dedup → Genre → Select → Evidence → Dispatch → Persist",
    cron: "0 */6 * * *",
    graceSeconds: 1800,
    tags: ["pipeline"],
    // A task job: Run now and Rerun walk the stages for real (src/server/tasks/demo-pipeline.ts).
    task: "demo-pipeline",
    timeoutSeconds: 600,
    paramsSchema: taskParamsJsonSchema("demo-pipeline") ?? undefined,
    defaultParams: { step_ms: 800 },
  });
  for (let index = 12; index >= 1; index--) {
    // Twelve hours ago the Dispatch stage failed once; the next run recovered.
    const isFailure = index === 2;
    const startedAt = new Date(now.getTime() - index * 6 * HOUR - 20 * MINUTE);
    const runId = await insertRun(tx, ws, recap, {
      status: isFailure ? "failed" : "succeeded",
      startedAt,
      durationMs: isFailure ? 11 * MINUTE : jitter(18 * MINUTE, index),
      exitCode: isFailure ? 2 : 0,
      message: isFailure ? "Dispatch failed: upstream returned 503" : "Recap generated for 12 genres",
      stderr: isFailure ? "dispatch.py: HTTPError: 503 Service Unavailable (after 3 retries)" : undefined,
      host: "worker-2",
      stages: RECAP_STAGES,
      currentStage: isFailure ? "Dispatch" : "Persist",
      percent: isFailure ? 75 : 100,
    });
    if (isFailure) {
      await tx`
        insert into incidents (workspace_id, job_id, kind, opened_at, resolved_at, first_run_id, last_run_id, last_message)
        values (${ws}, ${recap}, 'failed', ${new Date(startedAt.getTime() + 11 * MINUTE)},
                ${new Date(startedAt.getTime() + 6 * HOUR + 18 * MINUTE)}, ${runId}, ${runId}, 'Dispatch failed: upstream returned 503')`;
    }
  }
  await insertRun(tx, ws, recap, {
    status: "running",
    startedAt: new Date(now.getTime() - 7 * MINUTE),
    host: "worker-2",
    stages: RECAP_STAGES,
    currentStage: "Genre",
    percent: 45,
    message: "Clustering genre 5 of 12",
  });

  const inventory = await insertJob(tx, ws, {
    key: "inventory-sync",
    title: "Inventory sync",
    description: "Hourly sync of stock levels from the warehouse system.",
    periodSeconds: 3600,
    graceSeconds: 600,
    tags: ["sync"],
  });
  let lastInventoryRun = "";
  for (let index = 30; index >= 5; index--) {
    lastInventoryRun = await insertRun(tx, ws, inventory, {
      status: "succeeded",
      startedAt: new Date(now.getTime() - index * HOUR),
      durationMs: jitter(35_000, index),
      exitCode: 0,
      host: "cron-01",
    });
  }
  // Due at -4h, plus ten minutes' grace: missed since then.
  await tx`
    insert into incidents (workspace_id, job_id, kind, opened_at, last_run_id, failure_count, last_message)
    values (${ws}, ${inventory}, 'missed', ${new Date(now.getTime() - 4 * HOUR + 10 * MINUTE)}, ${lastInventoryRun}, 1,
            ${`No run since ${new Date(Math.floor((now.getTime() - 4 * HOUR) / MINUTE) * MINUTE).toISOString()} (due, plus 10 min grace)`})`;

  const training = await insertJob(tx, ws, {
    key: "gpu-train-classifier",
    title: "GPU training: image classifier",
    description: "Weekly fine-tune on the GPU box, wrapped by `jobboard run`.",
    tags: ["ml", "gpu"],
  });
  const trainingRuns: Array<{ daysAgo: number; ok: boolean }> = [
    { daysAgo: 13, ok: true },
    { daysAgo: 6, ok: false },
    { daysAgo: 5, ok: true },
  ];
  for (const [index, { daysAgo, ok }] of trainingRuns.entries()) {
    const runId = await insertRun(tx, ws, training, {
      status: ok ? "succeeded" : "failed",
      startedAt: new Date(now.getTime() - daysAgo * DAY),
      durationMs: ok ? jitter(2.5 * HOUR, index) : 23 * MINUTE,
      exitCode: ok ? 0 : 137,
      message: ok ? "val_acc=0.912" : "Killed (out of memory)",
      stderr: ok ? undefined : "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB",
      host: "gpu-box",
    });
    if (!ok) {
      await tx`
        insert into incidents (workspace_id, job_id, kind, opened_at, resolved_at, first_run_id, last_run_id, last_message)
        values (${ws}, ${training}, 'failed', ${new Date(now.getTime() - daysAgo * DAY + 23 * MINUTE)},
                ${new Date(now.getTime() - (daysAgo - 1) * DAY)}, ${runId}, ${runId}, 'Killed (out of memory)')`;
    }
  }

  await insertJob(tx, ws, {
    key: "weekly-log-cleanup",
    title: "Weekly log cleanup",
    description: "Paused while the log volume is migrated.",
    cron: "0 4 * * 0",
    paused: true,
    tags: ["infra"],
  });

  return ws;
}

export type DemoSeedResult = { seeded: boolean; workspaceId?: string };

/**
 * Seeds the demo workspace and its users once; later calls find the demo owner and do nothing.
 * Times are relative to `now`, so a fresh seed always shows a live-looking dashboard.
 */
export async function seedDemo(sql: Sql, now = new Date()): Promise<DemoSeedResult> {
  return withService(sql, async (tx) => {
    const [existing] = await tx`select 1 from auth.users where lower(email) = ${DEMO_USERS.owner}`;
    if (existing) return { seeded: false };

    const owner = await createUser(tx, { email: DEMO_USERS.owner, password: DEMO_PASSWORD });
    const workspaceId = await seedDemoWorkspace(tx, owner.id, now);
    for (const [index, role] of (["operator", "viewer"] as const).entries()) {
      const user = await createUser(tx, { email: DEMO_USERS[role], password: DEMO_PASSWORD });
      await tx`insert into memberships (workspace_id, user_id, role) values (${workspaceId}, ${user.id}, ${role})`;
      // The history an audit log would have, so /audit has something true to show. Seconds
      // after the workspace's own entry (the log is append-only: no backdating it).
      await tx`
        insert into audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id, detail, created_at)
        values (${workspaceId}, ${owner.id}, ${DEMO_USERS.owner}, 'member.invited', 'member', ${user.id},
                ${tx.json({ email: DEMO_USERS[role], role, account_created: true })}, now() + make_interval(secs => ${index + 1}))`;
    }
    await tx`
      insert into audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id, detail, created_at)
      select ${workspaceId}, ${owner.id}, ${DEMO_USERS.owner}, 'job.updated', 'job', j.id::text,
             ${tx.json({ before: { grace_seconds: 600 }, after: { grace_seconds: 900 } })}, now() + interval '3 seconds'
      from jobs j where j.workspace_id = ${workspaceId} and j.job_key = 'sales-report-export' and j.grace_seconds = 900`;

    // A second workspace, so the switcher has somewhere to go.
    const lab = await createWorkspace(tx, {
      name: "Research Lab",
      slug: "research-lab",
      ownerId: owner.id,
      ownerLabel: DEMO_USERS.owner,
      timezone: "America/New_York",
    });
    const notebook = await insertJob(tx, lab.id, {
      key: "notebook-refresh",
      title: "Notebook refresh",
      description: "Re-runs the team's reporting notebooks.",
      cron: "0 9 * * 1-5",
      tags: ["research"],
    });
    await insertRun(tx, lab.id, notebook, {
      status: "succeeded",
      startedAt: new Date(now.getTime() - 20 * HOUR),
      durationMs: 95_000,
      exitCode: 0,
      host: "lab-01",
    });
    // Each job points at its newest run, as ingest keeps it.
    await tx`
      update jobs j set last_run_id = (
        select r.id from runs r where r.job_id = j.id order by r.queued_at desc, r.id desc limit 1)
      where j.workspace_id in (${workspaceId}, ${lab.id})`;
    return { seeded: true, workspaceId };
  });
}

/** The lines printed when the embedded default starts, with a first report to try. */
export function demoLoginBanner(url: string, webhookSecret?: string, reportsTo?: { name: string; slug: string } | null): string {
  const lines = [
    "",
    "  Jobboard demo is ready (embedded database, seeded demo data)",
    `    Open      ${url}`,
    `    Sign in   ${DEMO_USERS.owner} / ${DEMO_PASSWORD}   (owner)`,
    `    Also      ${DEMO_USERS.operator}, ${DEMO_USERS.viewer} (same password)`,
  ];
  if (webhookSecret) {
    lines.push(
      "    Report    curl -X POST " + `${url}/api/monitor/job-report -H 'Content-Type: application/json' \\`,
      `                -H 'X-Jobboard-Secret: ${webhookSecret}' \\`,
      `                -d '{"job_key":"hello","title":"Hello","status":"success","finished_at":"${new Date().toISOString()}"}'`,
    );
    if (reportsTo) lines.push(`              (goes to workspace "${reportsTo.name}", ${reportsTo.slug})`);
  }
  lines.push("");
  return lines.join("\n");
}
