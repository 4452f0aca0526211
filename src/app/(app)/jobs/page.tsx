import type { Metadata } from "next";
import Link from "next/link";
import { Snippet } from "@/components/ui/snippet";
import { JobFilters } from "@/components/jobs/job-filters";
import { JobsTable } from "@/components/jobs/jobs-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, filterParams } from "@/components/ui/pager";
import { getTranslator } from "@/lib/i18n/server";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/workspaces/roles";
import { listJobs, listWorkspaceTags } from "@/server/jobs/queries";
import { jobListQuerySchema } from "@/server/jobs/schemas";

export const metadata: Metadata = { title: "Jobs" };

const PAGE_SIZE = 50;

export default async function JobsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { workspace, db } = await getAppContext();
  const { t, locale } = await getTranslator();
  const query = jobListQuerySchema.parse(await searchParams);
  const [jobs, tags] = await db((tx) =>
    Promise.all([
      listJobs(tx, { workspaceId: workspace.id, search: query.q, health: query.health, kind: query.kind, tag: query.tag, sort: query.sort, after: query.after, limit: PAGE_SIZE }),
      listWorkspaceTags(tx, workspace.id),
    ]),
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
      <JobFilters query={query} tags={tags} t={t} />
      {jobs.items.length === 0 ? (
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
        <JobsTable jobs={jobs.items} now={now} zone={workspace.timezone} t={t} locale={locale} />
      )}
      <Pager
        path="/jobs"
        params={filterParams({ q: query.q, health: query.health, kind: query.kind, tag: query.tag, sort: query.sort })}
        cursorParam="after"
        isFirstPage={!query.after}
        nextCursor={jobs.nextCursor}
        label={t("runs.pages")}
        firstLabel={t("jobs.first")}
        nextLabel={t("jobs.next")}
      />
    </>
  );
}
