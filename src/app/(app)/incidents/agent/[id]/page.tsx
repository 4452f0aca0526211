import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AlertLog } from "@/components/alerts/alert-log";
import { Chip } from "@/components/ui/chip";
import { Fact, Facts, LinkFact } from "@/components/ui/facts";
import { getTranslator } from "@/lib/i18n/server";
import { recordId } from "@/lib/record-id";
import { formatInZone } from "@/lib/time";
import { listAgentIncidents } from "@/server/agents/queries";
import { getAppContext } from "@/server/auth/context";
import { listAlertLog } from "@/server/notify/alert-log";

export const metadata: Metadata = { title: "Agent offline" };

const ALERTS_SHOWN = 200;

/** An "agent offline" incident: its own alerts and every alert folded into it. */
export default async function AgentIncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = await recordId(params);
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const data = await db(async (tx) => {
    const [incident] = await listAgentIncidents(tx, { workspaceId: workspace.id, incidentId: id, limit: 1 });
    if (!incident) return null;
    const alerts = await listAlertLog(tx, { workspaceId: workspace.id, scope: { agentIncidentId: id }, limit: ALERTS_SHOWN });
    return { incident, alerts };
  });
  if (!data) notFound();
  const { incident, alerts } = data;
  const tz = workspace.timezone;
  return (
    <>
      <header className="mb-2 flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t("agentIncident.title", { agent: incident.agent_name })}</h1>
        <Chip tone={incident.resolved_at ? "neutral" : "danger"}>{incident.resolved_at ? t("agentIncident.resolved") : t("agentIncident.open")}</Chip>
      </header>
      <p className="mb-4 max-w-2xl text-sm text-muted">{t("agentIncident.description")}</p>
      <Facts>
        <LinkFact label={t("agentIncident.agent")} href={`/agents/${incident.agent_id}`}>
          {incident.agent_name}
          {incident.agent_host ? ` (${incident.agent_host})` : ""}
        </LinkFact>
        {incident.last_seen_at ? <Fact label={t("agentIncident.lastSeen")}>{formatInZone(incident.last_seen_at, tz)}</Fact> : null}
        <Fact label={t("agentIncident.opened")}>{formatInZone(incident.opened_at, tz)}</Fact>
        {incident.resolved_at ? <Fact label={t("agentIncident.resolved")}>{formatInZone(incident.resolved_at, tz)}</Fact> : null}
      </Facts>
      <AlertLog entries={alerts} t={t} timezone={tz} showJob />
    </>
  );
}
