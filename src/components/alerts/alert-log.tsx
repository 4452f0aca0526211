import Link from "next/link";
import { Section } from "@/components/ui/section";
import { Table } from "@/components/ui/table";
import type { Translate } from "@/lib/i18n/messages";
import { formatInZone } from "@/lib/time";
import type { AlertLogEntry, AlertState } from "@/server/notify/alert-log";

function stateText(state: AlertState, t: Translate, timezone: string): string {
  switch (state.kind) {
    case "sent":
      return t("alerts.state.sent", { at: formatInZone(state.at, timezone) });
    case "waiting":
      return t("alerts.state.waiting");
    case "retrying":
      return t("alerts.state.retrying", { error: state.error });
    case "failed":
      return t("alerts.state.failed", { error: state.error ?? "—" });
    case "skipped":
      return t("alerts.state.skipped");
    case "held":
      return t("alerts.state.held", { window: state.window ?? "—", until: state.until ? formatInZone(state.until, timezone) : "—" });
    case "suppressed":
      return state.window ? t("alerts.state.suppressed", { window: state.window }) : t("alerts.state.suppressedNoWindow");
    case "folded":
      return t("alerts.state.folded", { agent: state.agent ?? "—" });
  }
}

/** Every alert of an incident or a job: when, kind, what it said, where it went, what became of it. */
export function AlertLog({ entries, t, timezone, showJob = false }: { entries: AlertLogEntry[]; t: Translate; timezone: string; showJob?: boolean }) {
  return (
    <Section title={t("alerts.log")}>
      <p className="mb-2 text-sm text-muted">{t("alerts.logHint")}</p>
      <Table
        columns={[t("alerts.when"), t("alerts.kindColumn"), t("alerts.message"), t("alerts.channel"), t("alerts.state")]}
        empty={entries.length === 0 ? t("alerts.none") : undefined}
        scrollLabel={t("alerts.logTable")}
      >
        {entries.map((entry) => (
          <tr key={entry.id} className="border-b border-border align-top last:border-0">
            <td className="whitespace-nowrap px-3 py-2">{formatInZone(entry.createdAt, timezone)}</td>
            <td className="whitespace-nowrap px-3 py-2">
              {t(`alerts.kind.${entry.kind}`)}
              {showJob && entry.jobId ? (
                <Link href={`/jobs/${entry.jobId}`} className="block text-accent hover:underline">
                  {entry.jobTitle}
                </Link>
              ) : null}
            </td>
            <td className="px-3 py-2 font-mono text-xs break-words">{entry.text}</td>
            <td className="whitespace-nowrap px-3 py-2">{t(entry.channel ? `alerts.channel.${entry.channel}` : "alerts.channel.unknown")}</td>
            <td className="px-3 py-2">
              {entry.state.kind === "folded" ? (
                <Link href={`/incidents/agent/${entry.state.agentIncidentId}`} className="text-accent hover:underline">
                  {stateText(entry.state, t, timezone)}
                </Link>
              ) : (
                stateText(entry.state, t, timezone)
              )}
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}
