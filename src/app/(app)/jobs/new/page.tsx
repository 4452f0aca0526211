import type { Metadata } from "next";
import { getTranslator } from "@/lib/i18n/server";
import { redirect } from "next/navigation";
import { JobForm } from "@/components/jobs/job-form";
import { isLoopbackEgressAllowed } from "@/server/egress";
import { PageHeader } from "@/components/ui/page-header";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/workspaces/roles";
import { TASKS } from "@/server/tasks";

export const metadata: Metadata = { title: "New job" };

export default async function NewJobPage() {
  const { workspace } = await getAppContext();
  const { t } = await getTranslator();
  if (!canAdminister(workspace.role)) redirect("/jobs");
  return (
    <>
      <PageHeader title={t("form.newTitle")} description={t("form.newDescription")} />
      <JobForm
        isLoopbackAllowed={isLoopbackEgressAllowed()}
        workspaceTimezone={workspace.timezone}
        now={new Date().toISOString()}
        tasks={Object.values(TASKS).map(({ name, description }) => ({ name, description }))}
        defaults={{
          jobKey: "",
          title: "",
          description: "",
          kind: "http",
          agentLabel: "",
          httpMethod: "POST",
          httpUrl: "",
          httpHeaders: "",
          taskName: "",
          scheduleType: "none",
          cron: "0 3 * * *",
          timezone: workspace.timezone,
          periodSeconds: "3600",
          graceSeconds: "",
          timeoutSeconds: "300",
          maxRetries: "0",
          failureThreshold: "1",
          recoveryThreshold: "1",
          reminderHours: "",
          stallMinutes: "",
          minDurationSeconds: "",
          maxDurationSeconds: "",
          slowP95Factor: "",
          slowP95Runs: "20",
          concurrencyPolicy: "forbid",
          enabled: true,
          notifyPolicy: "failures_and_recoveries",
          paramsSchema: "",
          defaultParams: "{}",
          hasSlackWebhook: false,
        }}
      />
    </>
  );
}
