import type { Metadata } from "next";
import { InviteForm, RoleSelect } from "@/components/settings/members";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { ActionButton } from "@/components/ui/action-button";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { getTranslator } from "@/lib/i18n/server";
import { formatInZone } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { ROLES, canAdminister, hasRole } from "@/server/workspaces/roles";
import { listMembers } from "@/server/members/service";
import { listPendingInvitations } from "@/server/members/invitations";
import { removeMemberAction, revokeInvitationAction } from "@/server/members/admin-actions";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const { workspace, user, db } = await getAppContext();
  const { t } = await getTranslator();
  const members = await db((tx) => listMembers(tx, workspace.id));
  const isAdmin = canAdminister(workspace.role);
  const isOwner = hasRole(workspace.role, "owner");
  // Only an owner grants or takes away ownership.
  const assignable = isOwner ? ROLES : ROLES.filter((role) => role !== "owner");
  // Admins only (RLS shows others none); the token hashes are never selected.
  const invitations = isAdmin ? await db((tx) => listPendingInvitations(tx, workspace.id)) : [];
  return (
    <SettingsFrame title={t("members.title")} description={t("members.description")} current="/settings/members" t={t}>
      {isAdmin ? (
        <Card title={t("members.invite")}>
          <InviteForm roles={assignable} />
        </Card>
      ) : null}
      <Table columns={[t("members.email"), t("members.role"), t("members.joined"), { hidden: t("members.actions") }]}>
        {members.map((member) => {
          const isSelf = member.user_id === user.id;
          const canManage = isAdmin && !isSelf && (isOwner || member.role !== "owner");
          return (
            <tr key={member.user_id} data-email={member.email}>
              <td className="px-3 py-2">
                {member.email}
                {isSelf ? <span className="ml-2 text-xs text-muted">{t("members.you")}</span> : null}
              </td>
              <td className="px-3 py-2">
                {canManage ? (
                  <RoleSelect userId={member.user_id} email={member.email} role={member.role} roles={assignable} label={t("members.roleOf", { email: member.email })} />
                ) : (
                  member.role
                )}
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-muted">{formatInZone(member.joined_at, workspace.timezone)}</td>
              <td className="px-3 py-2 text-right">
                {canManage ? (
                  <ActionButton action={removeMemberAction} fields={{ userId: member.user_id }} label={t("members.remove")} confirm={t("members.removeConfirm", { email: member.email, workspace: workspace.name })} />
                ) : isSelf ? (
                  <ActionButton action={removeMemberAction} fields={{ userId: member.user_id }} label={t("members.leave")} confirm={t("members.leaveConfirm", { workspace: workspace.name })} />
                ) : null}
              </td>
            </tr>
          );
        })}
      </Table>
      {invitations.length > 0 ? (
        <section aria-labelledby="pending-invitations" className="space-y-2">
          <h2 id="pending-invitations" className="text-sm font-semibold">{t("members.pending")}</h2>
          <Table columns={[t("members.email"), t("members.role"), t("members.invitedBy"), t("members.expires"), { hidden: t("members.actions") }]}>
            {invitations.map((invitation) => (
              <tr key={invitation.id} data-invitation={invitation.email}>
                <td className="px-3 py-2">{invitation.email}</td>
                <td className="px-3 py-2">{invitation.role}</td>
                <td className="px-3 py-2 text-muted">{invitation.invited_by_email ?? "—"}</td>
                <td className="whitespace-nowrap px-3 py-2 text-muted">{formatInZone(invitation.expires_at, workspace.timezone)}</td>
                <td className="px-3 py-2 text-right">
                  {isOwner || invitation.role !== "owner" ? (
                    <ActionButton action={revokeInvitationAction} fields={{ invitationId: invitation.id }} label={t("members.revoke")} confirm={t("members.revokeConfirm", { email: invitation.email })} />
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
    </SettingsFrame>
  );
}
