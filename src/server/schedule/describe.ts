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

const WEEKDAYS_JA = ["日", "月", "火", "水", "木", "金", "土", "日"];
const pad = (value: string) => value.padStart(2, "0");

/**
 * The common shapes read as a Japanese speaker says them: 「毎日 03:00」, 「平日 09:30」,
 * 「毎週月曜 07:00」, 「毎月 1 日 03:00」, 「毎時 15 分」, 「15 分ごと」. Null for anything
 * else, which cronstrue words.
 */
function japaneseCron(cron: string): string | null {
  const [minute = "", hour = "", day = "", month = "", weekday = ""] = cron.trim().split(/\s+/);
  const isNumber = (value: string) => /^\d{1,2}$/.test(value);
  if (month !== "*") return null;
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every && hour === "*" && day === "*" && weekday === "*") return `${every[1]} 分ごと`;
  if (isNumber(minute) && hour === "*" && day === "*" && weekday === "*") return `毎時 ${Number(minute)} 分`;
  if (!isNumber(minute) || !isNumber(hour)) return null;
  const time = `${pad(hour)}:${pad(minute)}`;
  if (day === "*" && weekday === "*") return `毎日 ${time}`;
  if (day === "*" && weekday === "1-5") return `平日 ${time}`;
  if (day === "*" && /^[0-7]$/.test(weekday)) return `毎週${WEEKDAYS_JA[Number(weekday)]}曜 ${time}`;
  if (isNumber(day) && weekday === "*") return `毎月 ${Number(day)} 日 ${time}`;
  return null;
}

/** The schedule in words ("At 07:30, Monday through Friday (Asia/Tokyo)"), or null without one. */
export function describeSchedule(schedule: Schedule, locale: Locale = "en"): string | null {
  if (schedule.periodSeconds) return periodInWords(schedule.periodSeconds, locale);
  if (!schedule.cron) return null;
  const key = `${locale}|${schedule.timezone ?? ""}|${schedule.cron}`;
  const known = cronWords.get(key);
  if (known !== undefined) return known;
  let described: string;
  try {
    const words = (locale === "ja" ? japaneseCron(schedule.cron) : null) ?? cronstrue.toString(schedule.cron, { locale, use24HourTimeFormat: true, verbose: false });
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
