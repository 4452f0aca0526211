import type { Metadata } from "next";
import Link from "next/link";
import { RunTable } from "@/components/runs/run-table";
import { ConfirmBulkAction } from "@/components/ui/confirm-bulk-action";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { getTranslator } from "@/lib/i18n/server";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/auth/roles";
import { cancelActiveRunsAction, rerunFailedRunsAction } from "@/server/runs/actions";
import { BULK_LIMIT, countBulkTargets } from "@/server/runs/bulk";
import { RUN_STATUSES, RUN_TRIGGERS } from "@/server/jobs/health";
import { listJobOptions } from "@/server/jobs/queries";
import { runCursorSchema, runFiltersFor, runListQuerySchema } from "@/server/runs/list-query";
import { listMaintenanceWindows } from "@/server/maintenance/queries";
import { listRuns } from "@/server/runs/queries";

export const metadata: Metadata = { title: "Runs" };

const PAGE_SIZE = 50;

const BULK_ACTIONS = [
  {
    kind: "rerun",
    action: rerunFailedRunsAction,
    messages: { label: "runs.bulk.rerun", title: "runs.bulk.rerunTitle", description: "runs.bulk.rerunDescription", confirm: "runs.bulk.rerunConfirm", keep: "runs.bulk.keep", done: "runs.bulk.rerunDone" },
  },
  {
    kind: "cancel",
    action: cancelActiveRunsAction,
    messages: { label: "runs.bulk.cancel", title: "runs.bulk.cancelTitle", description: "runs.bulk.cancelDescription", confirm: "runs.bulk.cancelConfirm", keep: "runs.bulk.keep", done: "runs.bulk.cancelDone" },
  },
] as const;
const selectClass = "rounded-card border border-border bg-surface px-2 py-1.5 text-sm";

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const query = runListQuerySchema.parse(await searchParams);
  const before = decodeCursor(query.before, runCursorSchema);
  const isOperator = canOperate(workspace.role);
  const [rows, jobs, bulk, windows] = await db(async (tx) => {
    const filters = await runFiltersFor(tx, { workspaceId: workspace.id, timezone: workspace.timezone, query });
    const runs = filters ? await listRuns(tx, { ...filters, before, limit: PAGE_SIZE + 1 }) : [];
    const targets = filters && isOperator ? await countBulkTargets(tx, filters) : null;
    return [runs, await listJobOptions(tx, workspace.id), targets, await listMaintenanceWindows(tx, { workspaceId: workspace.id })] as const;
  });
  const runs = rows.slice(0, PAGE_SIZE);
  const oldest = runs.at(-1);
  const olderCursor = rows.length > PAGE_SIZE && oldest ? encodeCursor({ queuedAt: oldest.cursor_at, id: oldest.id }) : null;
  const params = new URLSearchParams(
    Object.entries({ status: query.status, trigger: query.trigger, job: query.job, from: query.from, to: query.to }).filter(
      (entry): entry is [string, string] => Boolean(entry[1]),
    ),
  );
  const isFiltered = params.size > 0;

  return (
    <>
      <PageHeader title={t("runs.title")} description={t("runs.description")} live={{ label: t("overview.live") }} />
      <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("runs.status")}</span>
          <select name="status" defaultValue={query.status ?? ""} className={selectClass}>
            <option value="">{t("jobs.any")}</option>
            {RUN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("runs.job")}</span>
          {/* A key typed (with suggestions), not a menu of every job: a workspace may have thousands. */}
          <input name="job" list="job-keys" defaultValue={query.job ?? ""} placeholder={t("runs.jobPlaceholder")} className={`${selectClass} font-mono`} />
          <datalist id="job-keys">
            {jobs.map((job) => (
              <option key={job.id} value={job.job_key}>
                {job.title}
              </option>
            ))}
          </datalist>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("runs.trigger")}</span>
          <select name="trigger" defaultValue={query.trigger ?? ""} className={selectClass}>
            <option value="">{t("jobs.any")}</option>
            {RUN_TRIGGERS.map((trigger) => (
              <option key={trigger} value={trigger}>
                {t(`trigger.${trigger}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("runs.from")}</span>
          <input type="date" name="from" defaultValue={query.from} className={selectClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">{t("runs.to")}</span>
          <input type="date" name="to" defaultValue={query.to} className={selectClass} />
        </label>
        <button type="submit" className="rounded-card bg-accent px-3 py-1.5 text-accent-contrast">
          {t("jobs.apply")}
        </button>
      </form>
      {bulk && (bulk.rerun > 0 || bulk.cancel > 0) ? (
        <div aria-label={t("runs.bulk")} role="group" className="mb-3 flex flex-wrap gap-3">
          {BULK_ACTIONS.map(({ action, kind, messages }) => (
            <ConfirmBulkAction
              key={kind}
              action={action}
              formId={`bulk-${kind}`}
              fields={Object.fromEntries(params)}
              count={Math.min(bulk[kind], BULK_LIMIT)}
              limit={BULK_LIMIT}
              messages={messages}
            />
          ))}
        </div>
      ) : null}
      {runs.length === 0 ? (
        <EmptyState title={isFiltered ? t("runs.noMatch") : t("runs.none")} />
      ) : (
        <RunTable runs={runs} t={t} timezone={workspace.timezone} showJob windows={windows} />
      )}
      <nav aria-label={t("runs.pages")} className="mt-3 flex gap-3 text-sm">
        {before ? (
          <Link href={`/runs?${params.toString()}`} className="text-accent hover:underline">
            {t("runs.newest")}
          </Link>
        ) : null}
        {olderCursor ? (
          <Link href={`/runs?${new URLSearchParams([...params, ["before", olderCursor]]).toString()}`} className="text-accent hover:underline">
            {t("runs.older")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
