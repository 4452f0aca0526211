import type { Metadata } from "next";
import Link from "next/link";
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
      <p className="mt-4 text-center text-sm text-muted">
        {t("auth.haveAccount")}{" "}
        <Link className="text-accent underline" href="/login">
          {t("auth.signIn")}
        </Link>
      </p>
    </>
  );
}
