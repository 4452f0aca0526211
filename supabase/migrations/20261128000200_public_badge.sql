-- A job's status badge (/api/v1/badge/<workspace>/<job_key>.svg) is public, so it is opt-in:
-- admins turn it on per job (jobs' update policy already limits edits to admins).

alter table public.jobs add column public_badge boolean not null default false;
