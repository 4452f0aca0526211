-- Every job has a ping UUID: /ping/<uuid> reports for it with no key, as Healthchecks' check
-- URLs do. The UUID is that URL's only secret, so the database makes it: nobody may choose one
-- (a member could otherwise give their job a guessable URL), and no member may change it
-- (update is granted column by column, and this column is not among them).
alter table public.jobs add column ping_uuid uuid not null default gen_random_uuid();
alter table public.jobs add constraint jobs_ping_uuid_key unique (ping_uuid);

create or replace function private.fresh_ping_uuid() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  new.ping_uuid := gen_random_uuid();
  return new;
end;
$$;

create trigger jobs_fresh_ping_uuid before insert on public.jobs
  for each row execute function private.fresh_ping_uuid();

revoke all on function private.fresh_ping_uuid() from public;
