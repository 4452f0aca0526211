-- A job points at its latest run, set in the same transaction that records the run, so the
-- job list reads last status, time and message from that run without keeping a second copy.

alter table public.jobs add column last_run_id uuid references public.runs (id) on delete set null;
