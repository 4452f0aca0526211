-- Named secrets an HTTP job's headers can use ({{secrets.NAME}}), e.g. an API token. Admins
-- set, replace and delete them and can list their names; no signed-in user can read a value
-- back: only the executor (service role) does, when it calls the job's URL.
create table public.workspace_http_secrets (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (name ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  value text not null check (char_length(value) between 1 and 4096),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null,
  primary key (workspace_id, name)
);

create trigger workspace_http_secrets_touch_updated_at before update on public.workspace_http_secrets
  for each row execute function private.touch_updated_at();

alter table public.workspace_http_secrets enable row level security;

create policy "admins can list their workspace's http secrets" on public.workspace_http_secrets
  for select to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

create policy "admins can add http secrets" on public.workspace_http_secrets
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can replace http secrets" on public.workspace_http_secrets
  for update to authenticated
  using ((select private.has_role(workspace_id, 'admin')))
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can delete http secrets" on public.workspace_http_secrets
  for delete to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

revoke all on public.workspace_http_secrets from anon, authenticated;
-- Column grants: the value can be written but never selected by a signed-in user.
grant select (workspace_id, name, created_at, updated_at, updated_by) on public.workspace_http_secrets to authenticated;
grant insert (workspace_id, name, value, updated_by) on public.workspace_http_secrets to authenticated;
grant update (value, updated_by) on public.workspace_http_secrets to authenticated;
grant delete on public.workspace_http_secrets to authenticated;
grant all on public.workspace_http_secrets to service_role;
