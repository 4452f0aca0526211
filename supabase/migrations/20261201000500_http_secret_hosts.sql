-- A secret goes only where it is meant to: each HTTP secret names the hosts (host[:port]) it
-- may be sent to, so an admin cannot point a job at a host of their own and read it there.
alter table public.workspace_http_secrets
  add column allowed_hosts text[] not null default '{}'
  check (cardinality(allowed_hosts) <= 20 and array_position(allowed_hosts, '') is null);

-- Secrets already in use keep working: they may go to the hosts their jobs call today.
update public.workspace_http_secrets s set allowed_hosts = coalesce((
  select array_agg(distinct lower(substring(j.http_target ->> 'url' from '^[a-zA-Z]+://([^/?#@]+)')))
  from public.jobs j
  where j.workspace_id = s.workspace_id and j.kind = 'http'
    and j.http_target -> 'headers' is not null
    and (j.http_target -> 'headers')::text ~ ('\{\{\s*secrets\.' || s.name || '\s*\}\}')
), '{}');

grant select (allowed_hosts) on public.workspace_http_secrets to authenticated;
grant insert (allowed_hosts) on public.workspace_http_secrets to authenticated;
grant update (allowed_hosts) on public.workspace_http_secrets to authenticated;
