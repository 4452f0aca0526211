import { TZDate } from "@date-fns/tz";
import { format, formatDistanceStrict } from "date-fns";
import { ja } from "date-fns/locale";
import type { Locale } from "./i18n/messages";

/** An absolute time in the workspace's timezone with its offset, e.g. "2026-11-23 09:30 UTC+09:00". */
export function formatInZone(date: Date, timeZone: string): string {
  return format(new TZDate(date.getTime(), timeZone), "yyyy-MM-dd HH:mm 'UTC'xxx");
}

/** A short absolute time in the workspace's timezone, e.g. "11-23 09:30". */
export function formatShortInZone(date: Date, timeZone: string): string {
  return format(new TZDate(date.getTime(), timeZone), "MM-dd HH:mm");
}

/** "5 minutes ago" / "5 分前", relative to `now`. */
export function formatRelative(date: Date, now: Date = new Date(), locale: Locale = "en"): string {
  return formatDistanceStrict(date, now, { addSuffix: true, locale: locale === "ja" ? ja : undefined });
}

/** A duration for people: "850 ms", "12.3 s", "4 m 05 s", "2 h 03 m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, "0")} m` : `${minutes} m ${String(seconds).padStart(2, "0")} s`;
}

export function formatPercent(ratio: number | null | undefined): string {
  return ratio == null ? "—" : `${(ratio * 100).toFixed(1)}%`;
}
