-- Reminders: Slack hears again about an incident nobody has acknowledged, every
-- `reminder_hours` hours while it stays open (null, the default, is off). The tick writes a
-- 'reminder' alert and notes when in `reminded_at`, so each interval reminds once however many
-- ticks or servers look.
alter table public.jobs
  add column reminder_hours integer check (reminder_hours between 1 and 168);
grant update (reminder_hours) on public.jobs to authenticated;

alter table public.incidents add column reminded_at timestamptz;

alter table public.alerts drop constraint alerts_kind_check;
alter table public.alerts add constraint alerts_kind_check
  check (kind in ('failure', 'recovery', 'success', 'missed', 'reminder'));
