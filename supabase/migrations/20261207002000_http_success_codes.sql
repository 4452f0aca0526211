-- An HTTP job's run keeps its response's status in exit_code, success or not, and pages and
-- Slack read it as "HTTP 200" by the job's kind. Successes recorded before kept 0 there, with
-- the status in their message ("HTTP 204"): give them the status back, so none reads "HTTP 0".
update public.runs r
set exit_code = substring(r.message from '^HTTP ([0-9]{3})')::integer
from public.jobs j
where j.id = r.job_id and j.kind = 'http'
  and r.status = 'succeeded' and r.exit_code = 0
  and r.message ~ '^HTTP [0-9]{3}';
