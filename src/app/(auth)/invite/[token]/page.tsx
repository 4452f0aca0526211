import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitationForm, JoinWithPasswordForm } from "@/components/auth/invitation-forms";
import { Alert } from "@/components/ui/alert";
import { isSupabaseAuth } from "@/lib/env";
import type { MessageKey } from "@/lib/i18n/messages";
import { getTranslator } from "@/lib/i18n/server";
import { invitationTokenSchema } from "@/server/auth/schemas";
import { getSessionUser } from "@/server/auth/session";
import { getSql } from "@/server/db/client";
import { withService } from "@/server/db/transactions";
import { findInvitation } from "@/server/members/invitations";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

// Outside the app's layout: the person may have no account, or no workspace, yet.
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { t } = await getTranslator();
  const parsed = invitationTokenSchema.safeParse(token);
  const invitation = parsed.success ? await withService(await getSql(), (tx) => findInvitation(tx, parsed.data)) : null;
  if (!invitation) return <Alert>{t("invite.invalid")}</Alert>;
  if (invitation.state !== "pending") return <Alert>{t(`invite.${invitation.state}`)}</Alert>;

  const user = await getSessionUser();
  const isForUser = user?.email.toLowerCase() === invitation.email;
  const signInHref = `/login?next=${encodeURIComponent(`/invite/${token}`)}`;
  return (
    <>
      <h1 className="mb-2 text-lg font-semibold">{t("invite.title", { workspace: invitation.workspaceName })}</h1>
      <p className="mb-4 text-sm text-muted">{t("invite.hint", { email: invitation.email, role: t(`role.a.${invitation.role}` as MessageKey) })}</p>
      {user && isForUser ? (
        <AcceptInvitationForm token={token} label={t("invite.accept")} />
      ) : user ? (
        <Alert>{t("invite.notYours", { email: user.email })}</Alert>
      ) : invitation.hasAccount || isSupabaseAuth() ? (
        <p className="text-sm">
          <Link href={signInHref} className="text-accent underline">
            {t("invite.signIn", { email: invitation.email })}
          </Link>
        </p>
      ) : (
        <JoinWithPasswordForm
          token={token}
          email={invitation.email}
          labels={{ email: t("auth.email"), password: t("invite.password"), submit: t("invite.join", { workspace: invitation.workspaceName }) }}
        />
      )}
    </>
  );
}
