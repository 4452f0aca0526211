import { DurationChart } from "@/components/jobs/duration-chart";
import { chartWords, dayBars } from "@/components/overview/activity";
import { ActivityChart } from "@/components/ui/activity-chart";
import { Card } from "@/components/ui/card";
import { StackedFact } from "@/components/ui/facts";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { formatDuration, formatPercent } from "@/lib/time";
import type { RunListItem } from "@/server/runs/queries";
import type { getJobStats, getRunsByDay } from "@/server/stats/queries";

/** The job's last two weeks: success rate and durations, runs per day, and its recent runs' durations. */
export function JobStats({
  stats,
  days,
  recent,
  t,
  locale,
}: {
  stats: Awaited<ReturnType<typeof getJobStats>>;
  days: Awaited<ReturnType<typeof getRunsByDay>>;
  recent: RunListItem[];
  t: Translate;
  locale: Locale;
}) {
  return (
    <section aria-label={t("job.stats")} className="mb-6 grid gap-4 lg:grid-cols-3">
      <Card title={t("job.stats")}>
        <dl className="grid grid-cols-2 gap-3">
          <StackedFact label={t("job.successRate")} value={formatPercent(stats.success_rate)} />
          <StackedFact label={t("job.runs")} value={stats.runs} />
          <StackedFact label={t("job.avgDuration")} value={formatDuration(stats.avg_duration_ms, locale)} />
          <StackedFact label={t("job.p95Duration")} value={formatDuration(stats.p95_duration_ms, locale)} />
        </dl>
      </Card>
      <Card title={t("job.runsByDay")}>
        <ActivityChart bars={dayBars(days, locale)} label={t("job.runsByDay")} {...chartWords(t)} />
      </Card>
      <Card title={t("job.durations")}>
        <DurationChart runs={recent} label={t("job.durations")} t={t} />
      </Card>
    </section>
  );
}
