-- Read policies, made cheap on large tables (found by bench/pages at 1,000,000 runs).
-- `(select private.has_role(workspace_id, 'viewer'))` names the row's own column, so PostgreSQL
-- runs it as a correlated subplan once per row read: about 27 µs each, 1.2 s for the overview's
-- 34,000 runs. The same rule as an uncorrelated set — the workspaces where the caller holds at
-- least the role — is computed once per statement and probed as a hash. Who may read what does
-- not change; write policies touch a row at a time and keep has_role.

create function private.member_workspaces(min_role text) returns setof uuid
language sql stable security definer
rows 10
set search_path = ''
as $$
  select m.workspace_id
  from public.memberships m
  where m.user_id = (select auth.uid())
    and private.role_rank(m.role) >= private.role_rank(min_role)
$$;

revoke all on function private.member_workspaces(text) from public;
grant execute on function private.member_workspaces(text) to authenticated, service_role;

alter policy "members can read their workspaces" on public.workspaces
  using (id in (select private.member_workspaces('viewer')));
alter policy "members can read their workspace's memberships" on public.memberships
  using (workspace_id in (select private.member_workspaces('viewer')));
alter policy "members can read their workspace's jobs" on public.jobs
  using (workspace_id in (select private.member_workspaces('viewer')));
alter policy "members can read their workspace's runs" on public.runs
  using (workspace_id in (select private.member_workspaces('viewer')));
alter policy "members can read their workspace's run attempts" on public.run_attempts
  using (workspace_id in (select private.member_workspaces('viewer')));
alter policy "members can read their workspace's incidents" on public.incidents
  using (workspace_id in (select private.member_workspaces('viewer')));
alter policy "members can read their workspace's audit log" on public.audit_log
  using (workspace_id in (select private.member_workspaces('viewer')));
