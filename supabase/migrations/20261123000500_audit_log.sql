-- Who did what, to what, when. Append-only: members may add entries for themselves and read
-- their workspace's; no one signed in can change or remove one.

create table public.audit_log (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  actor_id uuid references auth.users (id) on delete set null,
  -- Kept so the entry still reads well after the actor is gone (an email, a key prefix, "system").
  actor_label text not null check (char_length(actor_label) between 1 and 320),
  action text not null check (char_length(action) between 1 and 100),
  target_type text not null check (char_length(target_type) between 1 and 50),
  target_id text check (char_length(target_id) <= 200),
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create index audit_log_workspace_time_idx on public.audit_log (workspace_id, created_at desc, id desc);
create index audit_log_workspace_actor_idx on public.audit_log (workspace_id, actor_id, created_at desc);

create function private.forbid_audit_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'audit log entries cannot be changed' using errcode = '42501';
end
$$;

create trigger audit_log_is_append_only before update on public.audit_log
  for each row execute function private.forbid_audit_update();

alter table public.audit_log enable row level security;

create policy "members can read their workspace's audit log" on public.audit_log
  for select to authenticated
  using ((select private.has_role(workspace_id, 'viewer')));

create policy "members can append their own audit entries" on public.audit_log
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'viewer')) and actor_id = (select auth.uid()));

revoke all on public.audit_log from anon, authenticated;
grant select, insert on public.audit_log to authenticated;
grant all on public.audit_log to service_role;
