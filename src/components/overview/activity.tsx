import { ActivityChart, type ActivityBar } from "@/components/ui/activity-chart";
import { Card } from "@/components/ui/card";
import type { Locale, Translate } from "@/lib/i18n/messages";
import type { ActivityCount } from "@/server/stats/queries";

const dayLabel = (day: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

/** Per-day counts (YYYY-MM-DD, already in the workspace's zone) as chart bars. */
export function dayBars(days: Array<{ day: string; succeeded: number; failed: number; other: number }>, locale: Locale): ActivityBar[] {
  return days.map((day) => ({ key: day.day, label: dayLabel(day.day, locale), succeeded: day.succeeded, failed: day.failed, other: day.other }));
}

function hourBars(hours: ActivityCount[], locale: Locale, timezone: string): ActivityBar[] {
  const format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: timezone });
  return hours.map((hour) => ({ key: hour.at, label: format.format(new Date(hour.at)), succeeded: hour.succeeded, failed: hour.failed, other: hour.other }));
}

/** The chart's words: a bar's counts, and the totals it is announced with. */
export function chartWords(t: Translate) {
  return {
    describe: (bar: ActivityBar) => t("chart.bar", { label: bar.label, succeeded: bar.succeeded, failed: bar.failed }),
    summary: ({ runs, failed }: { runs: number; failed: number }) => t("chart.summary", { runs, failed }),
  };
}

/** The overview's charts: runs and failures per hour over 24 hours, and per day over 14 days, in the workspace's zone. */
export function WorkspaceActivity({ hours, days, t, locale, timezone }: { hours: ActivityCount[]; days: ActivityCount[]; t: Translate; locale: Locale; timezone: string }) {
  const words = chartWords(t);
  return (
    <section aria-label={t("overview.activity")} className="mt-6 grid gap-4 lg:grid-cols-2">
      <Card title={t("overview.perHour")}>
        <ActivityChart testId="runs-per-hour" bars={hourBars(hours, locale, timezone)} label={t("overview.perHour")} {...words} />
      </Card>
      <Card title={t("overview.perDay")}>
        <ActivityChart testId="runs-per-day" bars={dayBars(days.map((d) => ({ ...d, day: d.at })), locale)} label={t("overview.perDay")} {...words} />
      </Card>
    </section>
  );
}
