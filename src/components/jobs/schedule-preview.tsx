"use client";

import { CronExpressionParser } from "cron-parser";
import { useLocale, useT } from "@/lib/i18n/client";
import { localizeServerText } from "@/lib/i18n/server-text";
import { isTimeZone } from "@/lib/timezone";
import { describeSchedule } from "@/server/schedule/describe";
import { cronProblem } from "@/server/schedule/slots";

/** The schedule in words and its next five runs on the workspace's clock, as the admin types. */
export function SchedulePreview({
  cron,
  timezone,
  periodSeconds,
  workspaceTimezone,
  now,
}: {
  cron: string;
  timezone: string;
  periodSeconds: string;
  workspaceTimezone: string;
  now: string;
}) {
  const t = useT();
  const locale = useLocale();
  const from = new Date(now);
  const format = (date: Date) =>
    new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-CA", { timeZone: workspaceTimezone, dateStyle: locale === "ja" ? "long" : "medium", timeStyle: "short", hourCycle: "h23" }).format(date);
  let words: string;
  let next: Date[] = [];
  let problem: string | null = null;
  if (cron) {
    // The words the job page uses, and the problem in the words the server answers with.
    const mistake = cronProblem(cron, timezone);
    words = describeSchedule({ cron, timezone: isTimeZone(timezone) ? timezone : "UTC", periodSeconds: null }, locale) ?? cron;
    if (mistake) {
      problem = localizeServerText(mistake, locale);
    } else {
      try {
        const iterator = CronExpressionParser.parse(cron, { tz: isTimeZone(timezone) ? timezone : "UTC", currentDate: from });
        next = Array.from({ length: 5 }, () => iterator.next().toDate());
      } catch {
        problem = localizeServerText(cronProblem("", timezone) ?? "", locale);
      }
    }
  } else {
    const seconds = Number(periodSeconds);
    if (!Number.isFinite(seconds) || seconds <= 0) return null;
    words = t("preview.every", { seconds });
    next = Array.from({ length: 5 }, (_, i) => new Date(from.getTime() + (i + 1) * seconds * 1000));
  }
  return (
    <div aria-live="polite" data-testid="schedule-preview" className="rounded-card bg-canvas p-3 text-sm">
      {problem ? (
        <p className="text-danger">{problem}</p>
      ) : (
        <>
          <p className="font-medium">{words}</p>
          <p className="mt-1 text-xs text-muted">{t("preview.next", { tz: workspaceTimezone })}</p>
          <ol className="mt-1 list-decimal pl-5 text-xs">
            {next.map((date) => (
              <li key={date.toISOString()}>{format(date)}</li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
