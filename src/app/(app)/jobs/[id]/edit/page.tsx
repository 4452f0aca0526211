import type { Metadata } from "next";
import { getTranslator } from "@/lib/i18n/server";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { DeleteJobForm } from "@/components/jobs/delete-job-form";
import { JobForm } from "@/components/jobs/job-form";
import { isLoopbackEgressAllowed } from "@/server/egress";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/workspaces/roles";
import { getJob, hasJobWebhook } from "@/server/jobs/queries";
import { httpTargetSchema } from "@/server/jobs/http-target";
import { TASKS } from "@/server/tasks";

export const metadata: Metadata = { title: "Edit job" };

const json = (value: unknown) => (value == null ? "" : JSON.stringify(value, null, 2));

export default async function EditJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  if (!canAdminister(workspace.role)) redirect(`/jobs/${id}`);
  const data = await db(async (tx) => {
    const job = await getJob(tx, { workspaceId: workspace.id, jobId: id });
    return job ? { job, hasWebhook: await hasJobWebhook(tx, id) } : null;
  });
  if (!data) notFound();
  const { job } = data;
  const target = httpTargetSchema.safeParse(job.http_target);
  return (
    <>
      <PageHeader title={t("form.editTitle", { job: job.title })} description={t("form.editDescription")} />
      <JobForm
        isLoopbackAllowed={isLoopbackEgressAllowed()}
        workspaceTimezone={workspace.timezone}
        now={new Date().toISOString()}
        tasks={Object.values(TASKS).map(({ name, description }) => ({ name, description }))}
        defaults={{
          jobId: job.id,
          jobKey: job.job_key,
          title: job.title,
          description: job.description ?? "",
          kind: job.kind,
          agentLabel: job.agent_label ?? "",
          httpMethod: target.success ? target.data.method : "POST",
          httpUrl: target.success ? target.data.url : "",
          httpHeaders: target.success && Object.keys(target.data.headers).length > 0 ? json(target.data.headers) : "",
          taskName: job.task_name ?? "",
          scheduleType: job.schedule_cron ? "cron" : job.schedule_period_seconds ? "period" : "none",
          cron: job.schedule_cron ?? "0 3 * * *",
          timezone: job.schedule_timezone ?? workspace.timezone,
          periodSeconds: String(job.schedule_period_seconds ?? 3600),
          graceSeconds: job.grace_seconds == null ? "" : String(job.grace_seconds),
          timeoutSeconds: job.timeout_seconds == null ? "" : String(job.timeout_seconds),
          maxRetries: String(job.max_retries),
          failureThreshold: String(job.failure_threshold),
          recoveryThreshold: String(job.recovery_threshold),
          reminderHours: job.reminder_hours === null ? "" : String(job.reminder_hours),
          stallMinutes: job.stall_minutes === null ? "" : String(job.stall_minutes),
          minDurationSeconds: job.min_duration_seconds === null ? "" : String(job.min_duration_seconds),
          maxDurationSeconds: job.max_duration_seconds === null ? "" : String(job.max_duration_seconds),
          slowP95Factor: job.slow_p95_factor === null ? "" : String(job.slow_p95_factor),
          slowP95Runs: String(job.slow_p95_runs),
          concurrencyPolicy: job.concurrency_policy,
          enabled: job.enabled,
          notifyPolicy: job.notify_policy,
          paramsSchema: job.kind === "task" ? "" : json(job.params_schema),
          defaultParams: json(job.default_params) || "{}",
          hasSlackWebhook: data.hasWebhook,
        }}
      />
      <div className="mt-10">
        <Card title={t("deleteJob.title")}>
          <DeleteJobForm jobId={job.id} jobKey={job.job_key} />
        </Card>
      </div>
    </>
  );
}
