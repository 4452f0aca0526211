"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/messages";
import { changeRoleAction, inviteMemberAction, type InviteState } from "@/server/members/admin-actions";
import { CopyButton } from "@/components/ui/copy-button";
import { FormField, inputClass, invalidProps } from "@/components/ui/form-field";

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
  const { state, onSubmit, isPending, formRef } = useFormAction<InviteState>(inviteMemberAction, {}, { resetOnSuccess: true });
  const errors = state.fieldErrors;
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-4 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
        <FormField label={t("members.email")} name="email" error={errors?.email}>
          <input id="email" name="email" type="email" autoComplete="off" className={inputClass} {...invalidProps(errors, "email")} />
        </FormField>
        <FormField label={t("members.role")} name="role" error={errors?.role}>
          <select id="role" name="role" defaultValue="viewer" className={inputClass}>
            <RoleOptions roles={roles} />
          </select>
        </FormField>
        <Button type="submit" disabled={isPending}>{t("members.invite")}</Button>
      </form>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.invited ? (
        <section role="status" aria-label={t("members.invite")} className="max-w-3xl space-y-2 rounded-card border border-border bg-canvas p-3 text-sm">
          <p>{t("members.invited", { email: state.invited.email, role: t(`role.a.${state.invited.role}` as MessageKey) })}</p>
          <p>{t("members.link")}</p>
          <p className="flex flex-wrap items-center gap-2">
            <code data-testid="invitation-link" className="break-all rounded bg-surface px-2 py-1 font-mono">
              {state.invited.link}
            </code>
            <CopyButton value={state.invited.link} label={t("members.copyLink")} />
          </p>
          {state.invited.emailed ? <p className="text-muted">{t("members.emailed")}</p> : null}
        </section>
      ) : null}
    </div>
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
      <select name="role" defaultValue={role} aria-label={label} className="rounded-card border border-border bg-surface px-2 py-1 text-sm">
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
