import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterBar, FilterSelect } from "@/components/ui/filter-bar";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, filterParams } from "@/components/ui/pager";
import { getTranslator } from "@/lib/i18n/server";
import { auditListQuerySchema } from "@/server/audit/list-query";
import { listAuditEntries, listAuditFacets, listAuditTargets } from "@/server/audit/queries";
import { getAppContext } from "@/server/auth/context";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const query = auditListQuerySchema.parse(await searchParams);
  const [entries, facets, targets] = await db((tx) =>
    Promise.all([
      listAuditEntries(tx, {
        workspaceId: workspace.id,
        actor: query.actor,
        action: query.action,
        targetType: query.target,
        targetId: query.target_id,
        after: query.before,
        limit: PAGE_SIZE,
      }),
      listAuditFacets(tx, workspace.id),
      listAuditTargets(tx, workspace.id),
    ]),
  );
  const params = filterParams({ actor: query.actor, action: query.action, target: query.target, target_id: query.target_id });
  const isFiltered = params.size > 0;

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description", { timezone: workspace.timezone })} />
      <FilterBar
        applyLabel={t("jobs.apply")}
        after={
          isFiltered ? (
            <Link href="/audit" className="py-1.5 text-accent hover:underline">
              {t("audit.clear")}
            </Link>
          ) : null
        }
      >
        <FilterSelect name="actor" label={t("audit.actor")} value={query.actor} options={facets.actors} anyLabel={t("jobs.any")} />
        <FilterSelect name="action" label={t("audit.action")} value={query.action} options={facets.actions} anyLabel={t("jobs.any")} />
        <FilterSelect name="target" label={t("audit.targetType")} value={query.target} options={facets.targetTypes} anyLabel={t("jobs.any")} />
        <FilterSelect
          name="target_id"
          label={t("audit.targetName")}
          value={query.target_id}
          options={targets
            .filter((target) => !query.target || target.type === query.target)
            .map((target) => ({ value: target.id, label: `${target.name ?? target.id} (${target.type})` }))
            .sort((a, b) => a.label.localeCompare(b.label))}
          anyLabel={t("jobs.any")}
        />
      </FilterBar>
      {entries.items.length === 0 ? (
        <EmptyState title={isFiltered ? t("audit.noMatch") : t("audit.none")} />
      ) : (
        <AuditTable entries={entries.items} timezone={workspace.timezone} t={t} />
      )}
      <Pager path="/audit" params={params} cursorParam="before" isFirstPage={!query.before} nextCursor={entries.nextCursor} label={t("runs.pages")} firstLabel={t("audit.newest")} nextLabel={t("audit.older")} />
    </>
  );
}
