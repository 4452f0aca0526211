import { TZDate } from "@date-fns/tz";
import { format, formatDistanceStrict } from "date-fns";

/** An absolute time in the workspace's timezone with its offset, e.g. "2026-11-23 09:30 UTC+09:00". */
export function formatInZone(date: Date, timeZone: string): string {
  return format(new TZDate(date.getTime(), timeZone), "yyyy-MM-dd HH:mm 'UTC'xxx");
}

/** "5 minutes ago" / "in 2 hours", relative to `now`. */
export function formatRelative(date: Date, now: Date = new Date()): string {
  return formatDistanceStrict(date, now, { addSuffix: true });
}
