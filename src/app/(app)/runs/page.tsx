import type { Metadata } from "next";
import { RunTable } from "@/components/runs/run-table";
import { ConfirmBulkAction } from "@/components/ui/confirm-bulk-action";
import { EmptyState } from "@/components/ui/empty-state";
import { Options, inputClass } from "@/components/ui/field";
import { FilterBar, FilterField, FilterSelect } from "@/components/ui/filter-bar";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, filterParams } from "@/components/ui/pager";
import { getTranslator } from "@/lib/i18n/server";
import { getAppContext } from "@/server/auth/context";
import { canOperate } from "@/server/workspaces/roles";
import { cancelActiveRunsAction, rerunFailedRunsAction } from "@/server/runs/actions";
import { BULK_LIMIT, countBulkTargets } from "@/server/runs/bulk";
import { RUN_STATUSES, RUN_TRIGGERS } from "@/server/runs/status";
import { listJobOptions } from "@/server/jobs/queries";
import { runFiltersFor, runListQuerySchema } from "@/server/runs/list-query";
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

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const query = runListQuerySchema.parse(await searchParams);
  const isOperator = canOperate(workspace.role);
  const [runs, jobs, bulk, windows] = await db(async (tx) => {
    const filters = await runFiltersFor(tx, { workspaceId: workspace.id, timezone: workspace.timezone, query });
    const runs = filters ? await listRuns(tx, { ...filters, after: query.before, limit: PAGE_SIZE }) : { items: [], nextCursor: null };
    const targets = filters && isOperator ? await countBulkTargets(tx, filters) : null;
    return [runs, await listJobOptions(tx, workspace.id), targets, await listMaintenanceWindows(tx, { workspaceId: workspace.id })] as const;
  });
  const params = filterParams({ status: query.status, trigger: query.trigger, job: query.job, from: query.from, to: query.to });
  const isFiltered = params.size > 0;

  return (
    <>
      <PageHeader title={t("runs.title")} description={t("runs.description")} live={{ label: t("overview.live") }} />
      <FilterBar applyLabel={t("jobs.apply")}>
        <FilterSelect name="status" label={t("runs.status")} value={query.status} anyLabel={t("jobs.any")} options={RUN_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))} />
        <FilterField label={t("runs.job")}>
          {/* A key typed (with suggestions), not a menu of every job: a workspace may have thousands. */}
          <input name="job" list="job-keys" defaultValue={query.job ?? ""} placeholder={t("runs.jobPlaceholder")} className={`${inputClass} font-mono`} />
          <datalist id="job-keys">
            <Options choices={jobs.map((job) => ({ value: job.job_key, label: job.title }))} />
          </datalist>
        </FilterField>
        <FilterSelect name="trigger" label={t("runs.trigger")} value={query.trigger} anyLabel={t("jobs.any")} options={RUN_TRIGGERS.map((trigger) => ({ value: trigger, label: t(`trigger.${trigger}`) }))} />
        <FilterField label={t("runs.from")}>
          <input type="date" name="from" defaultValue={query.from} className={inputClass} />
        </FilterField>
        <FilterField label={t("runs.to")}>
          <input type="date" name="to" defaultValue={query.to} className={inputClass} />
        </FilterField>
      </FilterBar>
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
      {runs.items.length === 0 ? (
        <EmptyState title={isFiltered ? t("runs.noMatch") : t("runs.none")} />
      ) : (
        <RunTable runs={runs.items} t={t} timezone={workspace.timezone} showJob windows={windows} workspaceId={workspace.id} />
      )}
      <Pager path="/runs" params={params} cursorParam="before" isFirstPage={!query.before} nextCursor={runs.nextCursor} label={t("runs.pages")} firstLabel={t("runs.newest")} nextLabel={t("runs.older")} />
    </>
  );
}
