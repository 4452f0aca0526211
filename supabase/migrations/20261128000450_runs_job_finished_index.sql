-- Found by bench/pages (1,000 jobs, 1,000,000 runs): the job page's statistics (getJobStats:
-- one job's runs finished in the last 14 days) had no index on (job_id, finished_at), so it
-- read every run the job ever had (86,400 for a once-a-minute job) from the heap to keep the
-- 14 days' worth. This one is read in range and covers the aggregate, RLS column included, so
-- it is an index-only scan: 180 ms → 13 ms on that job.
create index runs_job_finished_idx on public.runs (job_id, finished_at)
  include (workspace_id, status, duration_ms)
  where finished_at is not null;
