-- The audit log page filters by actor, action and target, newest first, keyset-paginated by
-- (created_at desc, id desc). One index per filter keeps each filtered page an index range
-- scan, and lets the filter menus list distinct values with a skip scan.

create index audit_log_workspace_actor_label_idx
  on public.audit_log (workspace_id, actor_label, created_at desc, id desc);
create index audit_log_workspace_action_idx
  on public.audit_log (workspace_id, action, created_at desc, id desc);
create index audit_log_workspace_target_idx
  on public.audit_log (workspace_id, target_type, target_id, created_at desc, id desc);
