import type { Db } from "../db/sql";
import type { RunStatus } from "../runs/status";
import { cursorText, fetchPage, type Keyset, type Page } from "../db/page";

// The read API runs as the service role (the ingest key is the principal), so every statement
// here is scoped by the key's workspace explicitly, as are the jobs' and runs' list queries it
// shares with the pages.

export type ApiJobRef = { id: string; job_key: string; title: string };

export async function findJobByKey(db: Db, p: { workspaceId: string; jobKey: string }): Promise<ApiJobRef | undefined> {
  const [job] = await db<ApiJobRef[]>`
    select id, job_key, title from jobs where workspace_id = ${p.workspaceId} and job_key = ${p.jobKey}`;
  return job;
}

export type ApiIncidentRow = {
  id: string;
  kind: "failed" | "missed" | "timed_out";
  job_key: string;
  job_title: string;
  opened_at: Date;
  acknowledged_at: Date | null;
  failure_count: number;
  last_message: string | null;
  last_run_id: string | null;
  cursor_at: string;
};

/**
 * Open incidents, newest first, keyset-paginated by (opened_at, id) (incidents_open_idx): not
 * the incidents page's order, which puts failures first and has no pages.
 */
export async function listOpenIncidentsForApi(
  db: Db,
  p: { workspaceId: string; after?: Keyset; limit: number },
): Promise<Page<ApiIncidentRow>> {
  const [afterAt, afterId] = p.after ?? [null, null];
  return fetchPage(p.limit, (take) => db<ApiIncidentRow[]>`
    select i.id, i.kind, j.job_key, j.title as job_title, i.opened_at, i.acknowledged_at, i.failure_count,
           i.last_message, i.last_run_id, ${cursorText(db, "i.opened_at")} as cursor_at
    from incidents i
    join jobs j on j.id = i.job_id and j.workspace_id = i.workspace_id
    where i.workspace_id = ${p.workspaceId} and i.resolved_at is null
      and (${afterAt}::text is null or (i.opened_at, i.id) < (${afterAt}::text::timestamptz, ${afterId}::uuid))
    order by i.opened_at desc, i.id desc
    limit ${take}`, (incident) => [incident.cursor_at, incident.id]);
}

export type BadgeRow = {
  paused: boolean;
  enabled: boolean;
  incident_kind: "failed" | "missed" | "timed_out" | null;
  last_finished_status: RunStatus | null;
};

/**
 * What a job's public badge shows, or undefined when there is no such workspace, no such job,
 * or its badge is off: one query, so the three look (and take) the same.
 */
export async function getBadgeState(db: Db, p: { workspaceSlug: string; jobKey: string }): Promise<BadgeRow | undefined> {
  const [row] = await db<BadgeRow[]>`
    select j.paused, j.enabled, oi.kind as incident_kind,
           (select r.status from runs r
            where r.job_id = j.id and r.status in ('succeeded', 'failed', 'timed_out')
            order by r.queued_at desc, r.id desc limit 1) as last_finished_status
    from workspaces w
    join jobs j on j.workspace_id = w.id and j.job_key = ${p.jobKey}
    left join incidents oi on oi.job_id = j.id and oi.resolved_at is null
    where w.slug = ${p.workspaceSlug} and j.public_badge`;
  return row;
}
