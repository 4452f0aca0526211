"use server";

import { cookies } from "next/headers";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { isSupabaseAuth } from "@/lib/env";
import { WORKSPACE_COOKIE, workspaceCookieOptions } from "../auth/context";
import { thenRedirect } from "../auth/workspace-action";
import { acceptInvitationSchema, joinWithPasswordSchema } from "../auth/schemas";
import { getSessionUser, startSession } from "../auth/session";
import { getSql } from "../db/client";
import { withService } from "../db/transactions";
import { acceptInvitation, acceptInvitationWithNewAccount } from "./invitations";

/** The signed-in person accepts an invitation addressed to them. */
export async function acceptInvitationAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = acceptInvitationSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  const user = await getSessionUser();
  if (!user) return { error: "Sign in to accept this invitation." };
  return thenRedirect("accepting an invitation failed", "/", async () => {
    const joined = await withService(await getSql(), (tx) => acceptInvitation(tx, { token: input.data.token, user }));
    (await cookies()).set(WORKSPACE_COOKIE, joined.workspaceSlug, workspaceCookieOptions());
  });
}

/** Built-in auth: a visitor without an account chooses a password, becomes the invited address and joins. */
export async function joinWithPasswordAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = joinWithPasswordSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  if (isSupabaseAuth()) return { error: "Use the link in the invitation email to set up your account." };
  if (await getSessionUser()) return { error: "You are signed in already: accept as that account, or sign out first." };
  return thenRedirect("joining through an invitation failed", "/", async () => {
    const joined = await withService(await getSql(), (tx) => acceptInvitationWithNewAccount(tx, input.data));
    await startSession(joined.user);
    (await cookies()).set(WORKSPACE_COOKIE, joined.workspaceSlug, workspaceCookieOptions());
  });
}
