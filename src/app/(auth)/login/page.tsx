import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthLink } from "@/components/auth/auth-link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { localPathOf } from "@/lib/local-path";
import { isDemoSeeded, isEmbeddedDatabase, isSupabaseAuth } from "@/lib/env";
import { getTranslator } from "@/lib/i18n/server";
import { getSessionUser } from "@/server/auth/session";
import { DEMO_PASSWORD, DEMO_USERS } from "@/server/demo/seed";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const requested = (await searchParams).next;
  const next = localPathOf(typeof requested === "string" ? requested : null);
  if (await getSessionUser()) redirect(next);
  const { t } = await getTranslator();
  // The demo account exists only where the embedded default seeds it; never advertise it elsewhere.
  const showDemoLogin = isEmbeddedDatabase() && isDemoSeeded() && !isSupabaseAuth();
  return (
    <>
      <h1 className="mb-4 text-lg font-semibold">{t("auth.signIn")}</h1>
      {showDemoLogin ? (
        <aside aria-label={t("auth.demoLogin")} className="mb-4 rounded-card bg-canvas px-3 py-2 text-sm">
          {t("auth.demo")}: <code className="font-mono">{DEMO_USERS.owner}</code> / <code className="font-mono">{DEMO_PASSWORD}</code>
        </aside>
      ) : null}
      <SignInForm next={next === "/" ? undefined : next} labels={{ email: t("auth.email"), password: t("auth.password"), submit: t("auth.signIn"), pending: t("auth.signingIn") }} />
      <AuthLink prompt={t("auth.newHere")} href="/signup" label={t("auth.createAccountLink")} />
    </>
  );
}
