"use client";

import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { changeRoleAction, inviteMemberAction, type InviteState } from "@/server/settings/actions";
import { CopyButton } from "./copy-button";
import { SettingField, inputClass, invalidProps } from "./field";

const ROLE_HELP: Record<string, string> = {
  viewer: "reads everything, changes nothing",
  operator: "also reruns, cancels, acknowledges, pauses",
  admin: "also edits jobs, settings, keys and members",
  owner: "everything, including deleting the workspace",
};

export function RoleOptions({ roles }: { roles: readonly string[] }) {
  return roles.map((role) => (
    <option key={role} value={role}>
      {role} — {ROLE_HELP[role]}
    </option>
  ));
}

export function InviteForm({ roles, signInUrl }: { roles: readonly string[]; signInUrl: string }) {
  const { state, onSubmit, isPending } = useFormAction<InviteState>(inviteMemberAction, {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  const errors = state.fieldErrors;
  return (
    <div className="space-y-3">
      <form ref={form} onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-4 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
        <SettingField label="Email" name="email" error={errors?.email}>
          <input id="email" name="email" type="email" autoComplete="off" className={inputClass} {...invalidProps(errors, "email")} />
        </SettingField>
        <SettingField label="Role" name="role" error={errors?.role}>
          <select id="role" name="role" defaultValue="viewer" className={inputClass}>
            <RoleOptions roles={roles} />
          </select>
        </SettingField>
        <Button type="submit" disabled={isPending}>Invite</Button>
      </form>
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.invited ? (
        <div role="status" className="max-w-2xl rounded-card border border-border bg-canvas p-3 text-sm">
          <p>
            <strong>{state.invited.email}</strong> is now a {state.invited.role}.
          </p>
          {state.invited.oneTimePassword ? (
            <div className="mt-2 space-y-1">
              <p>
                Their one-time password, shown only now — send it to them privately; they sign in at{" "}
                <span className="font-mono">{signInUrl}</span>:
              </p>
              <p className="flex items-center gap-2">
                <code data-testid="one-time-password" className="rounded bg-surface px-2 py-1 font-mono">
                  {state.invited.oneTimePassword}
                </code>
                <CopyButton value={state.invited.oneTimePassword} label="Copy password" />
              </p>
            </div>
          ) : (
            <p className="mt-1 text-muted">They already had an account and can sign in as before.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}

export function RoleSelect({ userId, role, roles, label }: { userId: string; role: string; roles: readonly string[]; label: string }) {
  const { state, onSubmit, isPending } = useFormAction(changeRoleAction, {});
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={label} className="rounded-card border border-border bg-surface px-2 py-1 text-sm">
        {roles.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={isPending}>Change</Button>
      {state.error ? <span role="alert" className="text-sm text-danger">{state.error}</span> : null}
    </form>
  );
}
