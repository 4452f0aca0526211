-- A maintenance window holds its own workspace's alerts only. The deliverer once applied a
-- whole-workspace window to every alert of its batch, so one tenant's maintenance could hold
-- another's failures (and suppress their recoveries). Those alerts are released here, and the
-- database now refuses an alert held by another workspace's window.

-- Recoveries suppressed only because their incident's news was held by a foreign window.
with foreign_holds as (
  select a.incident_id from alerts a join maintenance_windows w on w.id = a.maintenance_window_id
  where w.workspace_id <> a.workspace_id and a.incident_id is not null
)
update alerts a set status = 'pending', next_attempt_at = now(), attempts = 0
where a.status = 'suppressed' and a.kind = 'recovery' and a.maintenance_window_id is null
  and a.incident_id in (select incident_id from foreign_holds);

-- What a foreign window held or suppressed goes out now, as if it had never been held.
update alerts a set status = 'pending', next_attempt_at = now(), held_until = null, maintenance_window_id = null, attempts = 0
from maintenance_windows w
where w.id = a.maintenance_window_id and w.workspace_id <> a.workspace_id and a.status in ('held', 'suppressed');

alter table public.maintenance_windows add constraint maintenance_windows_workspace_id_id_key unique (workspace_id, id);
alter table public.alerts drop constraint alerts_maintenance_window_id_fkey;
alter table public.alerts add constraint alerts_maintenance_window_in_workspace
  foreign key (workspace_id, maintenance_window_id) references public.maintenance_windows (workspace_id, id)
  on delete set null (maintenance_window_id);
