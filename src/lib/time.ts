import { formatDistanceStrict } from "date-fns";
import { ja } from "date-fns/locale";
import { TZDate } from "@date-fns/tz";
import type { Locale } from "./i18n/messages";

type WallClock = { year: string; month: string; day: string; hour: string; minute: string; offset: string };

// Building an Intl.DateTimeFormat costs far more than using one, and a page formats hundreds of
// times in one or two zones: keep one per zone.
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at `date`, with the zone's UTC offset then ("+09:00"). */
function wallClock(date: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of zoneFormat(timeZone).formatToParts(date)) parts[part.type] = part.value;
  const { year = "", month = "", day = "", hour = "", minute = "", second = "" } = parts;
  const asUtc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const offsetMinutes = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return { year, month, day, hour, minute, offset };
}

/** The zone's wall clock to the minute, without its offset: "2026-11-01 01:30" (twice, when clocks fall back). */
export function formatWallClock(date: Date, timeZone: string): string {
  const c = wallClock(date, timeZone);
  return `${c.year}-${c.month}-${c.day} ${c.hour}:${c.minute}`;
}

/** An absolute time in the workspace's timezone with its offset, e.g. "2026-11-23 09:30 UTC+09:00". */
export function formatInZone(date: Date, timeZone: string): string {
  const c = wallClock(date, timeZone);
  return `${c.year}-${c.month}-${c.day} ${c.hour}:${c.minute} UTC${c.offset}`;
}

/** A short absolute time in the workspace's timezone, e.g. "11-23 09:30". */
export function formatShortInZone(date: Date, timeZone: string): string {
  const c = wallClock(date, timeZone);
  return `${c.month}-${c.day} ${c.hour}:${c.minute}`;
}

/** "5 minutes ago" / "5 分前", relative to `now`. */
export function formatRelative(date: Date, now: Date = new Date(), locale: Locale = "en"): string {
  return formatDistanceStrict(date, now, { addSuffix: true, locale: locale === "ja" ? ja : undefined });
}

/** A duration for people: "850 ms", "12.3 s", "4 m 05 s", "2 h 03 m"; in Japanese "850 ミリ秒", "12.3 秒", "4分05秒", "2時間03分". */
export function formatDuration(ms: number | null | undefined, locale: Locale = "en"): string {
  if (ms == null) return "—";
  const ja = locale === "ja";
  if (ms < 1000) return `${Math.round(ms)}${ja ? " ミリ秒" : " ms"}`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}${ja ? " 秒" : " s"}`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = String(Math.floor((totalSeconds % 3600) / 60)).padStart(2, "0");
  const seconds = String(totalSeconds % 60).padStart(2, "0");
  if (hours > 0) return ja ? `${hours}時間${minutes}分` : `${hours} h ${minutes} m`;
  return ja ? `${Number(minutes)}分${seconds}秒` : `${Number(minutes)} m ${seconds} s`;
}

export function formatPercent(ratio: number | null | undefined): string {
  return ratio == null ? "—" : `${(ratio * 100).toFixed(1)}%`;
}

/**
 * "2026-12-24T03:00" (a datetime-local value) read on `timeZone`'s wall clock, as an instant;
 * null when it is not one. A time that clocks skip moves forward with them.
 */
export function parseWallClock(text: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new TZDate(year, month - 1, day, hour, minute, 0, timeZone);
  if (Number.isNaN(date.getTime()) || date.getMonth() !== month - 1) return null;
  return new Date(date.getTime());
}
