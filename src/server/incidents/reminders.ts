import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";

/**
 * Writes a 'reminder' alert for each open incident nobody has acknowledged whose job asks for
 * reminders, once `reminder_hours` have passed since it opened or was last recalled. The same
 * statement moves `reminded_at`, so two ticks, or two servers, remind once per interval.
 * A job that notifies never is not reminded either. Answers how many it wrote.
 */
export async function queueReminders(sql: Sql, now: Date): Promise<number> {
  const written = await withService(sql, (tx) => tx<{ id: string }[]>`
    with due as (
      update incidents i set reminded_at = ${now}
      from jobs j
      where j.id = i.job_id and i.resolved_at is null and i.acknowledged_at is null
        and j.reminder_hours is not null and j.notify_policy <> 'never'
        and coalesce(i.reminded_at, i.opened_at) <= ${now}::timestamptz - make_interval(hours => j.reminder_hours)
      returning i.id, i.workspace_id, i.job_id, i.kind, i.opened_at
    )
    insert into alerts (workspace_id, job_id, incident_id, kind, detail)
    select workspace_id, job_id, id, 'reminder', jsonb_build_object('incident_kind', kind, 'opened_at', opened_at)
    from due
    returning id`);
  return written.length;
}
