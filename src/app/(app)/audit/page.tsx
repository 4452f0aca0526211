import type { Metadata } from "next";
import Link from "next/link";
import { AuditDetail } from "@/components/audit/audit-detail";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { getTranslator } from "@/lib/i18n/server";
import { formatInZone } from "@/lib/time";
import { auditCursorSchema, auditListQuerySchema } from "@/server/audit/list-query";
import { listAuditEntries, listAuditFacets, listAuditTargets, type AuditEntryRow } from "@/server/audit/queries";
import { getAppContext } from "@/server/auth/context";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const fieldClass = "rounded-card border border-border bg-surface px-2 py-1.5 text-sm";

/** Jobs and runs have pages of their own; other targets are shown by type and id only. */
function targetHref(entry: AuditEntryRow): string | null {
  if (!entry.target_id) return null;
  if (entry.target_type === "job") return `/jobs/${encodeURIComponent(entry.target_id)}`;
  if (entry.target_type === "run") return `/runs/${encodeURIComponent(entry.target_id)}`;
  return null;
}

/** The target by name (its id on hover), linked to its page where it has one. */
function Target({ entry }: { entry: AuditEntryRow }) {
  const href = targetHref(entry);
  const shortId = entry.target_id && entry.target_id.length > 12 ? `${entry.target_id.slice(0, 8)}…` : entry.target_id;
  const name = entry.target_id ? (
    <span className={entry.target_name ? "" : "font-mono text-xs"} title={entry.target_id}>
      {entry.target_name ?? shortId}
    </span>
  ) : null;
  return (
    <span className="flex flex-col">
      <span className="text-xs text-muted">{entry.target_type}</span>
      {href ? (
        <Link href={href} className="break-words text-accent hover:underline">
          {name}
        </Link>
      ) : (
        name
      )}
    </span>
  );
}

type Option = { value: string; label: string };

function FilterSelect({ name, label, value, options, any }: { name: string; label: string; value?: string; options: Array<string | Option>; any: string }) {
  const choices = options.map((option) => (typeof option === "string" ? { value: option, label: option } : option));
  // A value chosen from a link (or past the menu's cap) stays selectable.
  const all = value && !choices.some((choice) => choice.value === value) ? [{ value, label: value }, ...choices] : choices;
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-muted">{label}</span>
      <select name={name} defaultValue={value ?? ""} className={`${fieldClass} max-w-64`}>
        <option value="">{any}</option>
        {all.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const query = auditListQuerySchema.parse(await searchParams);
  const before = decodeCursor(query.before, auditCursorSchema);
  const [rows, facets, targets] = await db((tx) =>
    Promise.all([
      listAuditEntries(tx, {
        workspaceId: workspace.id,
        actor: query.actor,
        action: query.action,
        targetType: query.target,
        targetId: query.target_id,
        before,
        limit: PAGE_SIZE + 1,
      }),
      listAuditFacets(tx, workspace.id),
      listAuditTargets(tx, workspace.id),
    ]),
  );
  const entries = rows.slice(0, PAGE_SIZE);
  const oldest = entries.at(-1);
  const olderCursor = rows.length > PAGE_SIZE && oldest ? encodeCursor({ at: oldest.cursor_at, id: oldest.id }) : null;
  const params = new URLSearchParams(
    Object.entries({ actor: query.actor, action: query.action, target: query.target, target_id: query.target_id }).filter(
      (entry): entry is [string, string] => Boolean(entry[1]),
    ),
  );
  const isFiltered = params.size > 0;

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description", { timezone: workspace.timezone })} />
      <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <FilterSelect name="actor" label={t("audit.actor")} value={query.actor} options={facets.actors} any={t("jobs.any")} />
        <FilterSelect name="action" label={t("audit.action")} value={query.action} options={facets.actions} any={t("jobs.any")} />
        <FilterSelect name="target" label={t("audit.targetType")} value={query.target} options={facets.targetTypes} any={t("jobs.any")} />
        <FilterSelect
          name="target_id"
          label={t("audit.targetName")}
          value={query.target_id}
          options={targets
            .filter((target) => !query.target || target.type === query.target)
            .map((target) => ({ value: target.id, label: `${target.name ?? target.id} (${target.type})` }))
            .sort((a, b) => a.label.localeCompare(b.label))}
          any={t("jobs.any")}
        />
        <button type="submit" className="rounded-card bg-accent px-3 py-1.5 text-accent-contrast">
          {t("jobs.apply")}
        </button>
        {isFiltered ? (
          <Link href="/audit" className="py-1.5 text-accent hover:underline">
            {t("audit.clear")}
          </Link>
        ) : null}
      </form>
      {entries.length === 0 ? (
        <EmptyState title={isFiltered ? t("audit.noMatch") : t("audit.none")} />
      ) : (
        <div className="relative overflow-x-auto rounded-card border border-border bg-surface">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-border text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">{t("audit.time")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("audit.actor")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("audit.action")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("audit.target")}</th>
                <th scope="col" className="w-1/2 px-3 py-2 font-medium">{t("audit.detail")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border align-top">
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td className="whitespace-nowrap px-3 py-2">
                    <time dateTime={entry.created_at.toISOString()}>{formatInZone(entry.created_at, workspace.timezone)}</time>
                  </td>
                  <td className="max-w-56 truncate px-3 py-2" title={entry.actor_label}>
                    {entry.actor_label}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{entry.action}</td>
                  <td className="px-3 py-2">
                    <Target entry={entry} />
                  </td>
                  <td className="px-3 py-2">
                    <AuditDetail detail={entry.detail} t={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("runs.pages")} className="mt-3 flex gap-3 text-sm">
        {before ? (
          <Link href={`/audit?${params.toString()}`} className="text-accent hover:underline">
            {t("audit.newest")}
          </Link>
        ) : null}
        {olderCursor ? (
          <Link href={`/audit?${new URLSearchParams([...params, ["before", olderCursor]]).toString()}`} className="text-accent hover:underline">
            {t("audit.older")}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
