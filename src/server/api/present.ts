import type { JobRow } from "../jobs/queries";
import { latestSlot, nextSlots } from "../schedule/slots";
import type { RunListItem } from "../runs/queries";
import type { ApiIncidentRow } from "./queries";

/**
 * When the job should next run (or report): the schedule's next slot after `now`, counted as
 * the schedule tick and missed-run check count it. Null when paused, disabled or unscheduled.
 */
export function nextExpectedAt(
  job: Pick<JobRow, "paused" | "enabled" | "schedule_cron" | "schedule_timezone" | "schedule_period_seconds" | "created_at">,
  now: Date,
): Date | null {
  if (job.paused || !job.enabled) return null;
  const schedule = { cron: job.schedule_cron, timezone: job.schedule_timezone, periodSeconds: job.schedule_period_seconds };
  if (schedule.periodSeconds) {
    // Periods count from the job's creation, as latestSlot does.
    const latest = latestSlot(schedule, now, job.created_at) ?? job.created_at;
    return new Date(latest.getTime() + schedule.periodSeconds * 1000);
  }
  return nextSlots(schedule, now, 1)[0] ?? null;
}

/** A job as the read API shows it: no targets, parameters or secrets, only what a status page needs. */
export function presentJob(job: JobRow, now: Date) {
  const isScheduled = Boolean(job.schedule_cron || job.schedule_period_seconds);
  return {
    id: job.id,
    job_key: job.job_key,
    title: job.title,
    description: job.description,
    kind: job.kind,
    health: job.health,
    paused: job.paused,
    enabled: job.enabled,
    tags: job.tags,
    schedule: isScheduled
      ? { cron: job.schedule_cron, timezone: job.schedule_timezone, period_seconds: job.schedule_period_seconds }
      : null,
    last_run: job.last_run_id
      ? { id: job.last_run_id, status: job.last_status, at: job.last_run_at, message: job.last_message }
      : null,
    next_expected_at: nextExpectedAt(job, now),
    open_incident: job.incident_id ? { id: job.incident_id, kind: job.incident_kind } : null,
  };
}

export function presentRun(run: RunListItem) {
  return {
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    attempt: run.attempt,
    queued_at: run.queued_at,
    started_at: run.started_at,
    finished_at: run.finished_at,
    duration_ms: run.duration_ms,
    exit_code: run.exit_code,
    message: run.message,
    host: run.host,
  };
}

export function presentIncident(incident: ApiIncidentRow) {
  return {
    id: incident.id,
    kind: incident.kind,
    job_key: incident.job_key,
    job_title: incident.job_title,
    opened_at: incident.opened_at,
    acknowledged_at: incident.acknowledged_at,
    failure_count: incident.failure_count,
    last_message: incident.last_message,
    last_run_id: incident.last_run_id,
  };
}
