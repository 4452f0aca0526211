-- Every schedule tick leaves a heartbeat when it completes, whichever runner ran it (the server
-- process, or Inngest's schedule-tick function). The heartbeats say whether the scheduler is
-- alive (/api/health, the late-scheduler banner, the overview's line), and their gaps are
-- Jobboard's own outages: slots that fell due inside one are judged only after a catch-up period.
-- They belong to no workspace: only the service role reads or writes them.
create table public.tick_heartbeats (
  id bigint generated always as identity primary key,
  -- The tick's own clock: the moment it judged the schedule at.
  ticked_at timestamptz not null,
  runner text not null check (runner in ('in-process', 'inngest')),
  duration_ms integer not null check (duration_ms >= 0)
);

create index tick_heartbeats_ticked_at_idx on public.tick_heartbeats (ticked_at);

alter table public.tick_heartbeats enable row level security;
revoke all on public.tick_heartbeats from anon, authenticated;
grant all on public.tick_heartbeats to service_role;
