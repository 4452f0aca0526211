import type { Metadata } from "next";
import { AuthLink } from "@/components/auth/auth-link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getTranslator } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  const { t } = await getTranslator();
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">{t("auth.signUpTitle")}</h1>
      <p className="mb-4 text-sm text-muted">{t("auth.signUpHint")}</p>
      <SignUpForm
        labels={{
          email: t("auth.email"),
          password: t("auth.password"),
          workspaceName: t("auth.workspaceName"),
          workspacePlaceholder: t("auth.workspacePlaceholder"),
          submit: t("auth.createAccount"),
          pending: t("auth.creating"),
        }}
      />
      <AuthLink prompt={t("auth.haveAccount")} href="/login" label={t("auth.signIn")} />
    </>
  );
}
