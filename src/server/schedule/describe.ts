import { CronExpressionParser } from "cron-parser";
import cronstrue from "cronstrue/i18n";
import type { Locale } from "@/lib/i18n/messages";

export type Schedule = {
  cron: string | null;
  timezone: string | null;
  periodSeconds: number | null;
};

function periodInWords(seconds: number, locale: Locale): string {
  const units: Array<[number, string, string]> = [
    [86_400, "day", "日"],
    [3600, "hour", "時間"],
    [60, "minute", "分"],
    [1, "second", "秒"],
  ];
  const [size, en, ja] = units.find(([unit]) => seconds % unit === 0)!;
  const count = seconds / size;
  if (locale === "ja") return `${count} ${ja}ごと`;
  return count === 1 ? `Every ${en}` : `Every ${count} ${en}s`;
}

/** The schedule in words ("At 07:30, Monday through Friday (Asia/Tokyo)"), or null without one. */
export function describeSchedule(schedule: Schedule, locale: Locale = "en"): string | null {
  if (schedule.periodSeconds) return periodInWords(schedule.periodSeconds, locale);
  if (!schedule.cron) return null;
  try {
    const words = cronstrue.toString(schedule.cron, { locale, use24HourTimeFormat: true, verbose: false });
    return schedule.timezone ? `${words} (${schedule.timezone})` : words;
  } catch {
    return schedule.cron;
  }
}

/**
 * When the next run is expected: the next cron slot after `now` (in the schedule's timezone,
 * so DST and offsets follow the wall clock), or last run + period. Null without a schedule.
 */
export function nextExpectedRun(schedule: Schedule, p: { now: Date; lastRunAt: Date | null }): Date | null {
  if (schedule.periodSeconds) {
    if (!p.lastRunAt) return null;
    return new Date(p.lastRunAt.getTime() + schedule.periodSeconds * 1000);
  }
  if (!schedule.cron) return null;
  try {
    return CronExpressionParser.parse(schedule.cron, { currentDate: p.now, tz: schedule.timezone ?? "UTC" }).next().toDate();
  } catch {
    return null;
  }
}
