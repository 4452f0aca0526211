import { latestSlot } from "../schedule/slots";

/** A maintenance window as stored: a one-off range, or a cron start with a length, in a timezone. */
export type MaintenanceWindow = {
  id: string;
  workspace_id: string;
  /** Null: every job of the workspace. */
  job_id: string | null;
  title: string;
  starts_at: Date | null;
  ends_at: Date | null;
  cron: string | null;
  timezone: string | null;
  duration_minutes: number | null;
};

export type Occurrence = { window: MaintenanceWindow; start: Date; end: Date };

const EPOCH = new Date(0);

/**
 * The occurrence of `window` that covers `at`, or null. A recurring window starts at its cron's
 * latest slot on its own wall clock and lasts its minutes of real time: a 01:00 New York window
 * of two hours ends at 02:00 on the night clocks fall back, and a repeated 01:00 starts it once.
 */
export function occurrenceAt(window: MaintenanceWindow, at: Date): Occurrence | null {
  if (window.starts_at && window.ends_at) {
    return window.starts_at <= at && at < window.ends_at ? { window, start: window.starts_at, end: window.ends_at } : null;
  }
  if (!window.cron || !window.duration_minutes) return null;
  const start = latestSlot({ cron: window.cron, timezone: window.timezone, periodSeconds: null }, at, EPOCH);
  if (!start) return null;
  const end = new Date(start.getTime() + window.duration_minutes * 60_000);
  return at < end ? { window, start, end } : null;
}

/** A job, named with its workspace: a window covers only jobs of its own workspace. */
export type WindowTarget = { workspaceId: string; jobId: string };

/** Whether `window` is about this job: the job's own window, or one for its whole workspace. */
export function coversJob(window: MaintenanceWindow, target: WindowTarget): boolean {
  return window.workspace_id === target.workspaceId && (window.job_id === null || window.job_id === target.jobId);
}

/**
 * The window covering `at` for this job (its own or its workspace's), the one ending last.
 * `windows` may hold several workspaces' windows, as the deliverer's batch does.
 */
export function maintenanceAt(windows: MaintenanceWindow[], target: WindowTarget, at: Date): Occurrence | null {
  let found: Occurrence | null = null;
  for (const window of windows) {
    if (!coversJob(window, target)) continue;
    const occurrence = occurrenceAt(window, at);
    if (occurrence && (!found || occurrence.end > found.end)) found = occurrence;
  }
  return found;
}

/** Whether a one-off window is over for good, so it no longer needs showing among the current ones. */
export function isOver(window: MaintenanceWindow, now: Date): boolean {
  return window.ends_at !== null && window.ends_at <= now;
}
