"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/messages";
import { changeRoleAction, inviteMemberAction, type InviteState } from "@/server/members/admin-actions";
import { CopyableCode } from "@/components/ui/copy-button";
import { CreateForm, Created } from "@/components/ui/create-form";
import { Field, SelectField, inputClass } from "@/components/ui/field";

export function RoleOptions({ roles }: { roles: readonly string[] }) {
  const t = useT();
  return roles.map((role) => (
    <option key={role} value={role}>
      {t(`role.name.${role}` as MessageKey)} — {t(`role.help.${role}` as MessageKey)}
    </option>
  ));
}

export function InviteForm({ roles }: { roles: readonly string[] }) {
  const t = useT();
  const form = useFormAction<InviteState>(inviteMemberAction, {}, { resetOnSuccess: true });
  const { invited, fieldErrors } = form.state;
  return (
    <CreateForm {...form} className="max-w-2xl sm:grid-cols-[1fr_14rem_auto]" submit={t("members.invite")} created={invited ? <Invitation invited={invited} /> : null}>
      <Field label={t("members.email")} name="email" error={fieldErrors?.email} type="email" autoComplete="off" />
      <SelectField label={t("members.role")} name="role" error={fieldErrors?.role} defaultValue="viewer">
        <RoleOptions roles={roles} />
      </SelectField>
    </CreateForm>
  );
}

/** The link an invitation is accepted through, for the admin to pass on if no email was sent. */
function Invitation({ invited }: { invited: NonNullable<InviteState["invited"]> }) {
  const t = useT();
  return (
    <Created label={t("members.invite")}>
      <p>{t("members.invited", { email: invited.email, role: t(`role.a.${invited.role}` as MessageKey) })}</p>
      <p>{t("members.link")}</p>
      <CopyableCode value={invited.link} label={t("members.copyLink")} testId="invitation-link" />
      {invited.emailed ? <p className="text-muted">{t("members.emailed")}</p> : null}
    </Created>
  );
}

export function RoleSelect({ userId, email, role, roles, label }: { userId: string; email: string; role: string; roles: readonly string[]; label: string }) {
  const t = useT();
  const { state, onSubmit, isPending, formRef } = useFormAction(changeRoleAction, {});
  // The role the last submit asked for: what the confirmation names, whatever is picked since.
  const [submitted, setSubmitted] = useState(role);
  return (
    <form
      ref={formRef}
      onSubmit={(event) => {
        setSubmitted(new FormData(event.currentTarget).get("role")?.toString() ?? role);
        onSubmit(event);
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={label} className={inputClass}>
        {roles.map((choice) => (
          <option key={choice} value={choice}>
            {t(`role.name.${choice}` as MessageKey)}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={isPending}>{t("members.change")}</Button>
      {state.error ? <span role="alert" className="text-sm text-danger">{state.error}</span> : null}
      {state.ok ? <span role="status" className="text-sm text-muted">{t("members.roleChanged", { email, role: t(`role.a.${submitted}` as MessageKey) })}</span> : null}
    </form>
  );
}
