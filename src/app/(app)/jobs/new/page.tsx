import type { Metadata } from "next";
import { getTranslator } from "@/lib/i18n/server";
import { redirect } from "next/navigation";
import { JobEditor } from "@/components/jobs/job-editor";
import { PageHeader } from "@/components/ui/page-header";
import { getAppContext } from "@/server/auth/context";
import { jobFormDefaults } from "@/server/jobs/form-defaults";
import { canAdminister } from "@/server/workspaces/roles";

export const metadata: Metadata = { title: "New job" };

export default async function NewJobPage() {
  const { workspace } = await getAppContext();
  const { t } = await getTranslator();
  if (!canAdminister(workspace.role)) redirect("/jobs");
  return (
    <>
      <PageHeader title={t("form.newTitle")} description={t("form.newDescription")} />
      <JobEditor defaults={jobFormDefaults(workspace.timezone)} workspaceTimezone={workspace.timezone} />
    </>
  );
}
