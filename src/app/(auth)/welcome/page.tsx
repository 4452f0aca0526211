import type { Metadata } from "next";
import { CreateWorkspaceForm } from "@/components/auth/create-workspace-form";
import { getTranslator } from "@/lib/i18n/server";
import { requireSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Create a workspace" };

export default async function WelcomePage() {
  const user = await requireSessionUser();
  const { t } = await getTranslator();
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">{t("auth.welcome", { email: user.email })}</h1>
      <p className="mb-4 text-sm text-muted">{t("auth.welcomeHint")}</p>
      <CreateWorkspaceForm labels={{ workspaceName: t("auth.workspaceName"), submit: t("auth.createWorkspace") }} />
    </>
  );
}
