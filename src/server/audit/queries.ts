import type { Db } from "../db/sql";
import { cursorText, fetchPage, type Keyset, type Page } from "../db/page";

export type AuditEntryRow = {
  id: number;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  detail: Record<string, unknown>;
  /** What the target is called (a job's title, a member's email, a key's name), when it can be told. */
  target_name: string | null;
  created_at: Date;
  /** created_at to the microsecond, for the page cursor: a Date keeps only milliseconds. */
  cursor_at: string;
};

export type AuditFilters = {
  workspaceId: string;
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** The previous page's last entry: (created_at as cursor_at gave it, id). */
  after?: Keyset<number>;
  limit?: number;
};

/**
 * The workspace's audit log, newest first, keyset-paginated by (created_at, id). Each filter is
 * an exact match served by its own index (migration 20261128000210). The cursor's time is sent
 * as text: postgres.js would pass a timestamptz parameter through a JS Date, dropping the
 * microseconds, and entries within that millisecond would fall between two pages.
 */
export async function listAuditEntries(db: Db, f: AuditFilters): Promise<Page<AuditEntryRow>> {
  const [afterAt, afterId] = f.after ?? [null, null];
  return fetchPage(f.limit ?? 50, (take) => db<AuditEntryRow[]>`
    select a.id, a.actor_id, a.actor_label, a.action, a.target_type, a.target_id, a.detail, a.created_at,
           ${targetName(db)} as target_name, ${cursorText(db, "a.created_at")} as cursor_at
    from audit_log a
    where workspace_id = ${f.workspaceId}
      and (${f.actor ?? null}::text is null or actor_label = ${f.actor ?? null})
      and (${f.action ?? null}::text is null or action = ${f.action ?? null})
      and (${f.targetType ?? null}::text is null or target_type = ${f.targetType ?? null})
      and (${f.targetId ?? null}::text is null or target_id = ${f.targetId ?? null})
      and (${afterAt}::text is null or (created_at, id) < (${afterAt}::text::timestamptz, ${afterId}::bigint))
    order by created_at desc, id desc
    limit ${take}`, (entry) => [entry.cursor_at, entry.id]);
}

const UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/**
 * The name of audit entry `a`'s target, looked up by its type (a job's title, a run's job, a
 * member's email, a key's or an agent's name), under the reader's row security. Something
 * since deleted is named by what the entry recorded of it.
 */
function targetName(db: Db) {
  const id = db`(case when a.target_id ~* ${UUID} then a.target_id::uuid end)`;
  return db`coalesce(case a.target_type
      when 'job' then (select j.title from jobs j where j.id = ${id})
      when 'run' then (select j.title from runs r join jobs j on j.id = r.job_id where r.id = ${id})
      when 'incident' then (select j.title from incidents i join jobs j on j.id = i.job_id where i.id = ${id})
      when 'member' then (select m.email from public.workspace_members(a.workspace_id) m where m.user_id = ${id})
      when 'invitation' then (select v.email from invitations v where v.id = ${id})
      when 'ingest_key' then (select k.name from ingest_keys k where k.id = ${id})
      when 'agent' then (select g.name from agents g where g.id = ${id})
      when 'maintenance_window' then (select w.title from maintenance_windows w where w.id = ${id})
      when 'workspace' then (select w.name from workspaces w where w.id = ${id})
      when 'http_secret' then a.target_id
    end, a.detail->>'title', a.detail->>'name', a.detail->>'email')`;
}

export type AuditTarget = { type: string; id: string; name: string | null };

/** The targets of the latest entries with their names, for the target menu: chosen by name, filtered by id. */
export async function listAuditTargets(db: Db, workspaceId: string): Promise<AuditTarget[]> {
  return db<AuditTarget[]>`
    select distinct on (a.target_type, a.target_id) a.target_type as type, a.target_id as id, ${targetName(db)} as name
    from (select * from audit_log where workspace_id = ${workspaceId} and target_id is not null
          order by created_at desc limit 500) a
    order by a.target_type, a.target_id, a.created_at desc`;
}

export type AuditFacets = { actors: string[]; actions: string[]; targetTypes: string[] };

const FACET_LIMIT = 100;

/**
 * The distinct values of one column in the workspace's log, for a filter menu. A recursive
 * "skip scan" takes one index probe per distinct value instead of reading every entry.
 */
async function distinctValues(db: Db, workspaceId: string, column: "actor_label" | "action" | "target_type"): Promise<string[]> {
  const rows = await db<{ value: string }[]>`
    with recursive found (value, n) as (
      (select ${db(column)}, 1 from audit_log where workspace_id = ${workspaceId} order by ${db(column)} limit 1)
      union all
      select (select a.${db(column)} from audit_log a
              where a.workspace_id = ${workspaceId} and a.${db(column)} > found.value
              order by a.${db(column)} limit 1),
             found.n + 1
      from found
      where found.value is not null and found.n < ${FACET_LIMIT}
    )
    select value from found where value is not null`;
  return rows.map((row) => row.value);
}

/** What the audit page's actor, action and target-type menus offer. */
export async function listAuditFacets(db: Db, workspaceId: string): Promise<AuditFacets> {
  const [actors, actions, targetTypes] = await Promise.all([
    distinctValues(db, workspaceId, "actor_label"),
    distinctValues(db, workspaceId, "action"),
    distinctValues(db, workspaceId, "target_type"),
  ]);
  return { actors, actions, targetTypes };
}
