import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Alert } from "@/components/ui/alert";
import { isSupabaseAuth } from "@/lib/env";
import { getTranslator } from "@/lib/i18n/server";
import { requireSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Password" };

export default async function ChangePasswordPage() {
  const user = await requireSessionUser();
  const { t } = await getTranslator();
  if (isSupabaseAuth()) {
    return <Alert tone="info">{t("account.supabase")}</Alert>;
  }
  return (
    <>
      <h1 className="mb-2 text-lg font-semibold">{t("account.changeTitle")}</h1>
      <p className="mb-4 text-sm text-muted">{user.email}</p>
      <ChangePasswordForm labels={{ current: t("account.current"), next: t("account.new"), submit: t("account.save") }} />
      <p className="mt-4 text-center text-sm">
        <Link href="/" className="text-accent underline">
          {t("account.back")}
        </Link>
      </p>
    </>
  );
}
