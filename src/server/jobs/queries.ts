import type { Db } from "../db/sql";
import type { RunStatus } from "../runs/status";
import type { JobHealth, JobKind } from "./health";
import { cursorText, fetchPage, type Keyset, type Page } from "../db/page";
import type { IncidentKind } from "../incidents/transitions";

export type JobRow = {
  id: string;
  workspace_id: string;
  job_key: string;
  title: string;
  description: string | null;
  kind: JobKind;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  schedule_period_seconds: number | null;
  grace_seconds: number | null;
  timeout_seconds: number | null;
  max_retries: number;
  /** Failures in a row that open an incident, and successes in a row that resolve it. */
  failure_threshold: number;
  recovery_threshold: number;
  /** Hours between Slack reminders of an open, unacknowledged incident; null is off. */
  reminder_hours: number | null;
  /** Minutes a running run may go without progress before it is stalled; null is off. */
  stall_minutes: number | null;
  /** Duration rules for successes: under the minimum, over the ceiling, over factor × p95 of the last runs; null is off. */
  min_duration_seconds: number | null;
  max_duration_seconds: number | null;
  slow_p95_factor: number | null;
  slow_p95_runs: number;
  concurrency_policy: "allow" | "forbid" | "replace";
  enabled: boolean;
  paused: boolean;
  tags: string[];
  notify_policy: "failures_and_recoveries" | "every_run" | "never";
  task_name: string | null;
  agent_id: string | null;
  agent_label: string | null;
  http_target: unknown;
  params_schema: Record<string, unknown> | null;
  default_params: Record<string, unknown>;
  created_at: Date;
  /** created_at with microseconds, for keyset cursors. */
  cursor_at: string;
  last_run_id: string | null;
  public_badge: boolean;
  last_status: RunStatus | null;
  last_run_at: Date | null;
  last_message: string | null;
  incident_id: string | null;
  incident_kind: IncidentKind | null;
  health: JobHealth;
  /** Newest first, up to 20: the sparkline. */
  recent_statuses: RunStatus[];
};

export type JobSort = "title" | "newest";

export type JobFilters = {
  workspaceId: string;
  jobId?: string;
  search?: string;
  health?: JobHealth;
  kind?: JobKind;
  tag?: string;
  sort?: JobSort;
  /** The previous page's last job by the sort's column: (title, id), or (created_at as cursor_at gives it, id). */
  after?: Keyset;
  limit?: number;
  /** The last 20 statuses per job, for the sparkline (default on); pages that do not draw it skip the reads. */
  sparkline?: boolean;
};

/** Escapes LIKE's wildcards so a search for "50%" means the text "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Jobs with their health, derived on read from the job, its latest run and its open incident
 * (never stored). Keyset-paginated by (title, id) or (created_at, id).
 */
export async function listJobs(db: Db, f: JobFilters): Promise<Page<JobRow>> {
  const sort: JobSort = f.sort ?? "title";
  const [afterKey, afterId] = f.after ?? [null, null];
  const pattern = f.search ? likePattern(f.search) : null;
  const afterTitle = sort === "title" ? afterKey : null;
  // Text with microseconds, cast in SQL: see cursorText.
  const afterCreated = sort === "newest" ? afterKey : null;
  const idOrder = sort === "title" ? db`asc` : db`desc`;
  // The sparkline is read in the outer query, for the page's rows only.
  return fetchPage(f.limit ?? 50, (take) => db<JobRow[]>`
    select page.*,
           ${f.sparkline === false
             ? db`array[]::text[]`
             : db`array(select r.status from runs r where r.job_id = page.id order by r.queued_at desc, r.id desc limit 20)`} as recent_statuses
    from (
      select j.id, j.workspace_id, j.job_key, j.title, j.description, j.kind, j.schedule_cron, j.schedule_timezone,
             j.schedule_period_seconds, j.grace_seconds, j.timeout_seconds, j.max_retries, j.failure_threshold, j.recovery_threshold, j.reminder_hours, j.stall_minutes,
             j.min_duration_seconds, j.max_duration_seconds, j.slow_p95_factor, j.slow_p95_runs, j.concurrency_policy,
             j.enabled, j.paused, j.tags, j.notify_policy, j.task_name, j.agent_id, j.agent_label, j.http_target, j.params_schema, j.default_params, j.created_at, j.last_run_id, j.public_badge,
             ${cursorText(db, "j.created_at")} as cursor_at,
             lr.status as last_status, coalesce(lr.finished_at, lr.started_at, lr.queued_at) as last_run_at,
             lr.message as last_message, oi.id as incident_id, oi.kind as incident_kind,
             case
               when j.paused or not j.enabled then 'paused'
               when oi.kind = 'missed' then 'missed'
               when lr.status in ('queued', 'running') then 'running'
               when oi.id is not null or lr.status in ('failed', 'timed_out', 'lost') then 'failing'
               when lr.id is null then 'new'
               else 'healthy'
             end as health
      from jobs j
      left join runs lr on lr.id = j.last_run_id
      left join incidents oi on oi.job_id = j.id and oi.resolved_at is null
      where j.workspace_id = ${f.workspaceId}
        and (${f.jobId ?? null}::uuid is null or j.id = ${f.jobId ?? null})
        and (${pattern}::text is null or j.title ilike ${pattern} or j.job_key ilike ${pattern})
        and (${f.kind ?? null}::text is null or j.kind = ${f.kind ?? null})
        and (${f.tag ?? null}::text is null or j.tags @> array[${f.tag ?? null}::text])
        and (${afterTitle}::text is null or (j.title, j.id) > (${afterTitle}, ${afterId}::uuid))
        and (${afterCreated}::text is null or (j.created_at, j.id) < (${afterCreated}::text::timestamptz, ${afterId}::uuid))
      order by
        case when ${sort} = 'title' then j.title end asc,
        case when ${sort} = 'newest' then j.created_at end desc,
        j.id ${idOrder}
      ${f.health ? db`` : db`limit ${take}`}
    ) page
    where (${f.health ?? null}::text is null or page.health = ${f.health ?? null})
    order by
      case when ${sort} = 'title' then page.title end asc,
      case when ${sort} = 'newest' then page.created_at end desc,
      page.id ${idOrder}
    limit ${take}`, (job) => [sort === "title" ? job.title : job.cursor_at, job.id]);
}

/** One job with its health, or undefined when it does not exist or is not visible. */
export async function getJob(db: Db, p: { workspaceId: string; jobId: string }): Promise<JobRow | undefined> {
  const { items } = await listJobs(db, { workspaceId: p.workspaceId, jobId: p.jobId, limit: 1 });
  return items[0];
}

export async function listWorkspaceTags(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db<{ tag: string }[]>`
    select distinct unnest(tags) as tag from jobs where workspace_id = ${workspaceId} order by tag`;
  return rows.map((row) => row.tag);
}

/** Whether the job has its own Slack webhook; the URL itself never leaves the server. */
export async function hasJobWebhook(db: Db, jobId: string): Promise<boolean> {
  const [row] = await db<{ exists: boolean }[]>`
    select exists (select 1 from job_secrets where job_id = ${jobId} and slack_webhook_url is not null)`;
  return row?.exists ?? false;
}

export type JobOption = { id: string; title: string; job_key: string };

/** Jobs' keys and titles for a filter's suggestions: the first `limit` by title. */
export async function listJobOptions(db: Db, workspaceId: string, limit = 100): Promise<JobOption[]> {
  return db<JobOption[]>`
    select id, title, job_key from jobs where workspace_id = ${workspaceId} order by title, id limit ${limit}`;
}

/** Whether another job of the workspace has this key (the form says so with its other problems). */
export async function isJobKeyTaken(db: Db, p: { workspaceId: string; jobKey: string; exceptJobId: string | null }): Promise<boolean> {
  const [row] = await db<{ taken: boolean }[]>`
    select exists (
      select 1 from jobs where workspace_id = ${p.workspaceId} and job_key = ${p.jobKey}
        and (${p.exceptJobId}::uuid is null or id <> ${p.exceptJobId}::uuid)
    ) as taken`;
  return row?.taken ?? false;
}
