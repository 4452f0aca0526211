import type { Metadata } from "next";
import { getTranslator } from "@/lib/i18n/server";
import { recordId } from "@/lib/record-id";
import { notFound, redirect } from "next/navigation";
import { DeleteJobForm } from "@/components/jobs/delete-job-form";
import { JobEditor } from "@/components/jobs/job-editor";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAppContext } from "@/server/auth/context";
import { canAdminister } from "@/server/workspaces/roles";
import { jobFormDefaults } from "@/server/jobs/form-defaults";
import { getJob, hasJobWebhook } from "@/server/jobs/queries";

export const metadata: Metadata = { title: "Edit job" };

export default async function EditJobPage({ params }: { params: Promise<{ id: string }> }) {
  const id = await recordId(params);
  const { workspace, db } = await getAppContext();
  const { t } = await getTranslator();
  if (!canAdminister(workspace.role)) redirect(`/jobs/${id}`);
  const saved = await db(async (tx) => {
    const job = await getJob(tx, { workspaceId: workspace.id, jobId: id });
    return job ? { job, hasSlackWebhook: await hasJobWebhook(tx, id) } : null;
  });
  if (!saved) notFound();
  const { job } = saved;
  return (
    <>
      <PageHeader title={t("form.editTitle", { job: job.title })} description={t("form.editDescription")} />
      <JobEditor defaults={jobFormDefaults(workspace.timezone, saved)} workspaceTimezone={workspace.timezone} />
      <div className="mt-10">
        <Card title={t("deleteJob.title")}>
          <DeleteJobForm jobId={job.id} jobKey={job.job_key} />
        </Card>
      </div>
    </>
  );
}
