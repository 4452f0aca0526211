import { StackedFact } from "@/components/ui/facts";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { formatDuration } from "@/lib/time";
import { httpRequestFor, httpTargetSchema } from "@/server/jobs/http-target";
import type { JobRow } from "@/server/jobs/queries";
import { describeSchedule } from "@/server/schedule/describe";
import { maskHeaderValues } from "@/server/secrets/references";

/** What the job is: kind, schedule, limits and rules, and what it runs or calls. */
export function JobFacts({ job, t, locale }: { job: JobRow; t: Translate; locale: Locale }) {
  const schedule = describeSchedule({ cron: job.schedule_cron, timezone: job.schedule_timezone, periodSeconds: job.schedule_period_seconds }, locale);
  const seconds = (value: number | null) => (value == null ? null : formatDuration(value * 1000, locale));
  const durationRules = [
    ...(job.min_duration_seconds ? [t("job.durationUnder", { limit: seconds(job.min_duration_seconds)! })] : []),
    ...(job.max_duration_seconds ? [t("job.durationOver", { limit: seconds(job.max_duration_seconds)! })] : []),
    ...(job.slow_p95_factor ? [t("job.durationOverP95", { factor: String(job.slow_p95_factor), runs: String(job.slow_p95_runs) })] : []),
  ];
  // Header values may hold literal tokens: every member reads this page, so they are masked.
  const parsedTarget = job.kind === "http" ? httpTargetSchema.safeParse(job.http_target) : null;
  const httpTarget = parsedTarget?.success ? parsedTarget.data : null;
  // What a run with the default parameters sends: GET and DELETE put them in the query string.
  const defaultRequest = httpTarget ? httpRequestFor(httpTarget, job.default_params) : null;
  return (
    <>
      <dl className="mb-6 grid grid-cols-2 gap-4 rounded-card border border-border bg-surface p-4 sm:grid-cols-3 lg:grid-cols-8">
        <StackedFact label={t("jobs.kind")} value={t(`kind.${job.kind}`)} />
        <StackedFact label={t("jobs.schedule")} value={schedule ?? t("jobs.noSchedule")} />
        <StackedFact label={t("job.grace")} value={seconds(job.grace_seconds) ?? t("job.default")} />
        <StackedFact label={t("job.timeout")} value={seconds(job.timeout_seconds) ?? t("job.none")} />
        <StackedFact label={t("job.retries")} value={job.max_retries} />
        <StackedFact label={t("job.thresholds")} value={`${job.failure_threshold} / ${job.recovery_threshold}`} />
        <StackedFact label={t("job.durationRules")} value={durationRules.length > 0 ? durationRules.join(" · ") : t("job.none")} />
        <StackedFact label={t("job.concurrency")} value={t(`form.concurrency.${job.concurrency_policy}`)} />
      </dl>
      {job.kind === "task" || (job.kind === "agent" && Object.keys(job.default_params ?? {}).length > 0) ? (
        <p data-testid="job-task" className="-mt-3 mb-6 break-all text-sm">
          {job.task_name ? (
            <>
              <span className="text-muted">{t("form.task")}</span> <code className="font-mono">{job.task_name}</code>{" "}
            </>
          ) : null}
          <span className="ml-3 text-muted">{t("form.defaultParams")}</span>{" "}
          <code className="font-mono text-xs">{JSON.stringify(job.default_params ?? {})}</code>
        </p>
      ) : null}
      {httpTarget ? (
        <p data-testid="http-target" className="-mt-3 mb-6 break-all text-sm">
          <span className="text-muted">{t("job.calls")}</span>{" "}
          <code className="font-mono">{`${httpTarget.method} ${defaultRequest!.url}`}</code>
          {Object.entries(maskHeaderValues(httpTarget.headers)).map(([name, value]) => (
            <code key={name} className="ml-3 font-mono text-xs text-muted">{`${name}: ${value}`}</code>
          ))}
          {defaultRequest!.body && defaultRequest!.body !== "{}" ? (
            <code className="mt-1 block font-mono text-xs text-muted">{defaultRequest!.body}</code>
          ) : null}
        </p>
      ) : null}
    </>
  );
}
