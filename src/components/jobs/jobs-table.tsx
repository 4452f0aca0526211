import Link from "next/link";
import { HealthChip } from "@/components/jobs/health-chip";
import { Sparkline } from "@/components/jobs/sparkline";
import { Table } from "@/components/ui/table";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { formatInZone, formatRelative } from "@/lib/time";
import type { JobRow } from "@/server/jobs/queries";
import { describeSchedule, nextExpectedRun } from "@/server/schedule/describe";

/** The jobs list: each job's health, kind, schedule, last and next run, and its recent runs. */
export function JobsTable({ jobs, now, zone, t, locale }: { jobs: JobRow[]; now: Date; zone: string; t: Translate; locale: Locale }) {
  const headings = ["jobs.job", "jobs.health", "jobs.kind", "jobs.schedule", "jobs.lastRun", "jobs.nextRun", "jobs.recent"] as const;
  return (
    <Table headings="caps" columns={headings.map((heading) => t(heading))}>
      {jobs.map((job) => {
        const schedule = { cron: job.schedule_cron, timezone: job.schedule_timezone, periodSeconds: job.schedule_period_seconds };
        const next = job.paused ? null : nextExpectedRun(schedule, { now, lastRunAt: job.last_run_at });
        return (
          <tr key={job.id} className="hover:bg-canvas/60">
            <td className="px-3 py-2">
              <Link href={`/jobs/${job.id}`} className="font-medium hover:underline">
                {job.title}
              </Link>
              <div className="font-mono text-xs text-muted">{job.job_key}</div>
            </td>
            <td className="px-3 py-2">
              <HealthChip health={job.health} t={t} />
            </td>
            <td className="px-3 py-2">{t(`kind.${job.kind}`)}</td>
            <td className="px-3 py-2 text-muted">{describeSchedule(schedule, locale) ?? t("jobs.noSchedule")}</td>
            <td className="whitespace-nowrap px-3 py-2" title={job.last_run_at ? formatInZone(job.last_run_at, zone) : undefined}>
              {job.last_run_at ? formatRelative(job.last_run_at, now, locale) : t("jobs.never")}
            </td>
            <td className="whitespace-nowrap px-3 py-2" title={next ? formatInZone(next, zone) : undefined}>
              {next ? (
                <>
                  {formatRelative(next, now, locale)}
                  {next < now ? <span className="ml-1 text-warning">({t("jobs.overdue")})</span> : null}
                </>
              ) : (
                "—"
              )}
            </td>
            <td className="px-3 py-2">
              <Sparkline statuses={job.recent_statuses} />
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
