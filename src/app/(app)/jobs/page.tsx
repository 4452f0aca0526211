import type { Metadata } from "next";
import Link from "next/link";
import { Snippet } from "@/components/ui/snippet";
import { HealthChip } from "@/components/jobs/health-chip";
import { Sparkline } from "@/components/jobs/sparkline";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { getTranslator } from "@/lib/i18n/server";
import { formatInZone, formatRelative } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/auth/roles";
import { JOB_HEALTH, JOB_KINDS } from "@/server/jobs/health";
import { listJobs, listWorkspaceTags } from "@/server/jobs/queries";
import { jobCursorSchema, jobListQuerySchema } from "@/server/jobs/schemas";
import { describeSchedule, nextExpectedRun } from "@/server/schedule/describe";

export const metadata: Metadata = { title: "Jobs" };

const PAGE_SIZE = 50;

const selectClass = "rounded-card border border-border bg-surface px-2 py-1.5 text-sm";

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const query = jobListQuerySchema.parse(await searchParams);
  const after = decodeCursor(query.after, jobCursorSchema);
  const [rows, tags] = await db((tx) =>
    Promise.all([
      listJobs(tx, { workspaceId: workspace.id, search: query.q, health: query.health, kind: query.kind, tag: query.tag, sort: query.sort, after, limit: PAGE_SIZE + 1 }),
      listWorkspaceTags(tx, workspace.id),
    ]),
  );
  const jobs = rows.slice(0, PAGE_SIZE);
  const last = jobs.at(-1);
  const nextCursor =
    rows.length > PAGE_SIZE && last
      ? encodeCursor(query.sort === "title" ? { title: last.title, id: last.id } : { createdAt: last.cursor_at, id: last.id })
      : null;
  const params = new URLSearchParams(
    Object.entries({ q: query.q, health: query.health, kind: query.kind, tag: query.tag, sort: query.sort }).filter(
      (entry): entry is [string, string] => Boolean(entry[1]),
    ),
  );
  const now = new Date();
  const isFiltered = Boolean(query.q || query.health || query.kind || query.tag);

  return (
    <>
      <div className="flex items-start justify-between gap-4">
        <PageHeader title={t("jobs.title")} description={t("jobs.description")} live={{ label: t("overview.live") }} />
        {canAdminister(workspace.role) ? (
          <Link href="/jobs/new" className="rounded-card bg-accent px-3 py-2 text-sm text-accent-contrast">
            {t("job.new")}
          </Link>
        ) : null}
      </div>
      <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("jobs.search")}</span>
          <input name="q" type="search" defaultValue={query.q} className={selectClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("jobs.health")}</span>
          <select name="health" defaultValue={query.health ?? ""} className={selectClass}>
            <option value="">{t("jobs.any")}</option>
            {JOB_HEALTH.map((health) => (
              <option key={health} value={health}>
                {t(`health.${health}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("jobs.kind")}</span>
          <select name="kind" defaultValue={query.kind ?? ""} className={selectClass}>
            <option value="">{t("jobs.any")}</option>
            {JOB_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("jobs.tag")}</span>
          <select name="tag" defaultValue={query.tag ?? ""} className={selectClass}>
            <option value="">{t("jobs.any")}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("jobs.sort")}</span>
          <select name="sort" defaultValue={query.sort} className={selectClass}>
            <option value="title">{t("jobs.sort.title")}</option>
            <option value="newest">{t("jobs.sort.newest")}</option>
          </select>
        </label>
        <button type="submit" className="rounded-card bg-accent px-3 py-1.5 text-accent-contrast">
          {t("jobs.apply")}
        </button>
      </form>

      {jobs.length === 0 ? (
        isFiltered ? (
          <EmptyState title={t("jobs.noMatch")} />
        ) : (
          <EmptyState title={t("jobs.none")}>
            <p>{t("jobs.noneHint")}</p>
            <Snippet
              className="mx-auto mt-2 max-w-2xl"
              text={`curl -X POST "$JOBBOARD_HUB_URL/api/monitor/job-report" \\
  -H 'Content-Type: application/json' -H "Authorization: Bearer $JOBBOARD_TOKEN" \\
  -d '{"job_key":"hello","title":"Hello","status":"success","finished_at":"${now.toISOString()}"}'`}
              copyLabel={t("snippet.copy")}
            />
          </EmptyState>
        )
      ) : (
        <div className="relative overflow-x-auto rounded-card border border-border bg-surface">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-border text-xs uppercase tracking-wide text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">{t("jobs.job")}</th>
                <th className="px-3 py-2 font-medium">{t("jobs.health")}</th>
                <th className="px-3 py-2 font-medium">{t("jobs.kind")}</th>
                <th className="px-3 py-2 font-medium">{t("jobs.schedule")}</th>
                <th className="px-3 py-2 font-medium">{t("jobs.lastRun")}</th>
                <th className="px-3 py-2 font-medium">{t("jobs.nextRun")}</th>
                <th className="px-3 py-2 font-medium">{t("jobs.recent")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
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
                    <td className="whitespace-nowrap px-3 py-2" title={job.last_run_at ? formatInZone(job.last_run_at, workspace.timezone) : undefined}>
                      {job.last_run_at ? formatRelative(job.last_run_at, now, locale) : t("jobs.never")}
                    </td>
                    <td className="whitespace-nowrap px-3 py-2" title={next ? formatInZone(next, workspace.timezone) : undefined}>
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
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("runs.pages")} className="mt-3 flex gap-3 text-sm">
        {after ? (
          <Link href={`/jobs?${params.toString()}`} className="text-accent hover:underline">
            {t("jobs.first")}
          </Link>
        ) : null}
        {nextCursor ? (
          <Link href={`/jobs?${new URLSearchParams([...params, ["after", nextCursor]]).toString()}`} className="text-accent hover:underline">
            {t("jobs.next")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
