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

// A list page describes dozens of jobs that share a handful of schedules; both answers below are
// pure, so they are kept per expression. Bounded: past the limit, the oldest entry goes.
const CACHE_LIMIT = 2_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

const cronWords = new Map<string, string>();

/** The schedule in words ("At 07:30, Monday through Friday (Asia/Tokyo)"), or null without one. */
export function describeSchedule(schedule: Schedule, locale: Locale = "en"): string | null {
  if (schedule.periodSeconds) return periodInWords(schedule.periodSeconds, locale);
  if (!schedule.cron) return null;
  const key = `${locale}|${schedule.timezone ?? ""}|${schedule.cron}`;
  const known = cronWords.get(key);
  if (known !== undefined) return known;
  let described: string;
  try {
    const words = cronstrue.toString(schedule.cron, { locale, use24HourTimeFormat: true, verbose: false });
    described = schedule.timezone ? `${words} (${schedule.timezone})` : words;
  } catch {
    described = schedule.cron;
  }
  return remember(cronWords, key, described);
}

/** Per cron and zone: the next slot after `from`, which is also the next one for any `now` before it. */
const nextSlots = new Map<string, { from: number; next: number | null }>();

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
  const key = `${schedule.timezone ?? "UTC"}|${schedule.cron}`;
  const now = p.now.getTime();
  const known = nextSlots.get(key);
  // No slot lies in [from, next), so the slot after any `now` in that range is `next`.
  if (known && known.next !== null && known.from <= now && now < known.next) return new Date(known.next);
  let next: number | null;
  try {
    next = CronExpressionParser.parse(schedule.cron, { currentDate: p.now, tz: schedule.timezone ?? "UTC" }).next().getTime();
  } catch {
    next = null;
  }
  remember(nextSlots, key, { from: now, next });
  return next === null ? null : new Date(next);
}
