import { REPORT_LIMITS } from "./limits";

/** The earliest time a report or an agent may name: before it, a time is a mistake, not a run. */
export const EARLIEST_REPORTED_TIME = new Date("1970-01-01T00:00:00Z");

/**
 * Why a reported time cannot be recorded, worded for `field`; null when it can. Times are
 * bounded on both sides so none reaches PostgreSQL out of its range (a 500), and a clock far
 * ahead cannot park a run in the future where it would stay the job's latest.
 */
export function reportedTimeProblem(field: string, time: Date, now: Date = new Date()): string | null {
  if (Number.isNaN(time.getTime()) || time < EARLIEST_REPORTED_TIME) return `${field} must be after 1970-01-01`;
  if (time.getTime() > now.getTime() + REPORT_LIMITS.futureSkewMs) {
    return `${field} must not be more than a day ahead of the server's clock`;
  }
  return null;
}

/** A day that the month does not have (2026-02-30): Date.parse rolls it into the next month. */
export function isImpossibleCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day;
}

/** Why finished_at minus duration_ms (the run's start, when none was sent) cannot be recorded. */
export function durationProblem(finishedAt: Date, durationMs: number): string | null {
  return finishedAt.getTime() - durationMs < EARLIEST_REPORTED_TIME.getTime()
    ? "duration_ms must not reach back before 1970-01-01"
    : null;
}
