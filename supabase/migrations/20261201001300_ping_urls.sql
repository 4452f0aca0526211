-- Every job has a ping UUID: /ping/<uuid> reports for it with no key, as Healthchecks' check
-- URLs do. The UUID is that URL's only secret, a write credential, so it lives apart from
-- `jobs` (which every member reads) in a table only the server reads: the job page shows it
-- to operators and admins, never to viewers, and nobody chooses or changes it.
create table public.job_ping_urls (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  ping_uuid uuid not null unique default gen_random_uuid()
);

alter table public.job_ping_urls enable row level security;
revoke all on public.job_ping_urls from anon, authenticated;
grant all on public.job_ping_urls to service_role;

-- Made with the job, by whoever creates it (a report, or an admin on the form), so the trigger
-- runs as the table's owner.
create or replace function private.give_job_a_ping_url() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
  insert into job_ping_urls (job_id) values (new.id);
  return null;
end;
$$;

create trigger jobs_give_ping_url after insert on public.jobs
  for each row execute function private.give_job_a_ping_url();

revoke all on function private.give_job_a_ping_url() from public;

insert into public.job_ping_urls (job_id) select id from public.jobs;
