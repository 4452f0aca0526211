-- Secrets a workspace configures (the Slack webhook URL). Admins only; kept out of the
-- workspaces table so that reading a workspace can never carry a secret with it.

create table public.workspace_secrets (
  workspace_id uuid primary key references public.workspaces (id) on delete cascade,
  slack_webhook_url text check (char_length(slack_webhook_url) <= 500),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null
);

create trigger workspace_secrets_touch_updated_at before update on public.workspace_secrets
  for each row execute function private.touch_updated_at();

alter table public.workspace_secrets enable row level security;

create policy "admins can read their workspace's secrets" on public.workspace_secrets
  for select to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

create policy "admins can set their workspace's secrets" on public.workspace_secrets
  for insert to authenticated
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can change their workspace's secrets" on public.workspace_secrets
  for update to authenticated
  using ((select private.has_role(workspace_id, 'admin')))
  with check ((select private.has_role(workspace_id, 'admin')));

create policy "admins can clear their workspace's secrets" on public.workspace_secrets
  for delete to authenticated
  using ((select private.has_role(workspace_id, 'admin')));

revoke all on public.workspace_secrets from anon, authenticated;
grant select, insert, update, delete on public.workspace_secrets to authenticated;
grant all on public.workspace_secrets to service_role;
