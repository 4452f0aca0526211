import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AlertLog } from "@/components/alerts/alert-log";
import { Chip } from "@/components/ui/chip";
import { Fact, Facts, LinkFact } from "@/components/ui/facts";
import { jobboardMessage } from "@/lib/i18n/jobboard-messages";
import { getTranslator } from "@/lib/i18n/server";
import { recordId } from "@/lib/record-id";
import { formatInZone } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { getIncident } from "@/server/incidents/queries";
import { listAlertLog } from "@/server/notify/alert-log";

export const metadata: Metadata = { title: "Incident" };

const ALERTS_SHOWN = 100;

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = await recordId(params);
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  const data = await db(async (tx) => {
    const incident = await getIncident(tx, { workspaceId: workspace.id, incidentId: id });
    if (!incident) return null;
    const alerts = await listAlertLog(tx, { workspaceId: workspace.id, scope: { incidentId: id }, limit: ALERTS_SHOWN });
    return { incident, alerts };
  });
  if (!data) notFound();
  const { incident, alerts } = data;
  return (
    <>
      <header className="mb-4 flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t("incident.title", { job: incident.job_title })}</h1>
        <Chip tone={incident.resolved_at ? "neutral" : "danger"}>{incident.resolved_at ? t("incident.resolved") : t("incident.open")}</Chip>
      </header>
      <Facts>
        <LinkFact label={t("incident.job")} href={`/jobs/${incident.job_id}`}>
          {incident.job_title}
        </LinkFact>
        <Fact label={t("incident.kind")}>{t(`incident.${incident.kind}`)}</Fact>
        <Fact label={t("incident.opened")}>{formatInZone(incident.opened_at, workspace.timezone)}</Fact>
        {incident.resolved_at ? <Fact label={t("incident.resolved")}>{formatInZone(incident.resolved_at, workspace.timezone)}</Fact> : null}
        {incident.kind !== "missed" ? <Fact label={t("incident.failures")}>{incident.failure_count}</Fact> : null}
      </Facts>
      {incident.last_message ? <p className="mt-3 text-sm">{jobboardMessage(incident.last_message, t, workspace.timezone)}</p> : null}
      <AlertLog entries={alerts} t={t} timezone={workspace.timezone} />
    </>
  );
}
