import Link from "next/link";
import { AuditDetail } from "@/components/audit/audit-detail";
import { Table } from "@/components/ui/table";
import type { Translate } from "@/lib/i18n/messages";
import { formatInZone } from "@/lib/time";
import type { AuditEntryRow } from "@/server/audit/queries";

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

/** The audit log's entries: when, who, what, on which target, and what changed. */
export function AuditTable({ entries, timezone, t }: { entries: AuditEntryRow[]; timezone: string; t: Translate }) {
  return (
    <Table
      headings="caps"
      // The detail (a diff, or JSON) gets half the width; the other columns are short.
      columns={[t("audit.time"), t("audit.actor"), t("audit.action"), t("audit.target"), { label: t("audit.detail"), className: "w-1/2" }]}
    >
      {entries.map((entry) => (
        <tr key={entry.id} data-action={entry.action} className="align-top">
          <td className="whitespace-nowrap px-3 py-2">
            <time dateTime={entry.created_at.toISOString()}>{formatInZone(entry.created_at, timezone)}</time>
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
    </Table>
  );
}
