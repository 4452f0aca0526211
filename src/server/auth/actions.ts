"use server";

import { redirect } from "next/navigation";
import { cookies } from "next/headers";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { isSupabaseAuth } from "@/lib/env";
import { getSql } from "../db/client";
import { isAppError } from "../errors";
import { authenticate, changePassword, createFirstWorkspace, signUp } from "./accounts";
import { WORKSPACE_COOKIE } from "./context";
import { changePasswordSchema, signInSchema, signUpSchema, workspaceNameSchema } from "./schemas";
import { endSession, requireSessionUser, startSession } from "./session";
import { createSupabaseServerClient } from "./supabase";

const WRONG_CREDENTIALS = "Email or password is incorrect.";
const SOMETHING_FAILED = "Something went wrong on our side. Please try again.";

export async function signInAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = signInSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  let mustChange = false;
  try {
    if (isSupabaseAuth()) {
      const supabase = await createSupabaseServerClient();
      const { error } = await supabase.auth.signInWithPassword(input.data);
      if (error) return { error: WRONG_CREDENTIALS };
    } else {
      const user = await authenticate(await getSql(), input.data.email, input.data.password);
      if (!user) return { error: WRONG_CREDENTIALS };
      await startSession(user);
      if (user.mustChangePassword) mustChange = true;
    }
  } catch (error) {
    console.error("sign-in failed", error);
    return { error: SOMETHING_FAILED };
  }
  redirect(mustChange ? "/account/password" : "/");
}

export async function signUpAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = signUpSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  try {
    if (isSupabaseAuth()) {
      const supabase = await createSupabaseServerClient();
      const { data, error } = await supabase.auth.signUp({ email: input.data.email, password: input.data.password });
      if (error || !data.user) return { error: error?.message ?? SOMETHING_FAILED };
      await createFirstWorkspace(await getSql(), { id: data.user.id, email: input.data.email }, input.data.workspaceName);
      if (!data.session) return { ok: true, error: "Check your email to confirm your account, then sign in." };
    } else {
      const { user, workspace } = await signUp(await getSql(), input.data);
      await startSession(user);
      (await cookies()).set(WORKSPACE_COOKIE, workspace.slug, { path: "/", sameSite: "lax", httpOnly: true });
    }
  } catch (error) {
    if (isAppError(error)) {
      return { error: error.message, fieldErrors: error.field ? { [error.field]: error.message } : undefined };
    }
    console.error("sign-up failed", error);
    return { error: SOMETHING_FAILED };
  }
  redirect("/");
}

export async function createWorkspaceAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = workspaceNameSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  const user = await requireSessionUser();
  try {
    const workspace = await createFirstWorkspace(await getSql(), user, input.data.workspaceName);
    (await cookies()).set(WORKSPACE_COOKIE, workspace.slug, { path: "/", sameSite: "lax", httpOnly: true });
  } catch (error) {
    console.error("workspace creation failed", error);
    return { error: SOMETHING_FAILED };
  }
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  await endSession();
  redirect("/login");
}

/** Built-in accounts: replace the password (an invitation's one-time one, or any time). */
export async function changePasswordAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = changePasswordSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  const user = await requireSessionUser();
  if (isSupabaseAuth()) return { error: "Passwords are managed by Supabase Auth for this deployment." };
  try {
    const changed = await changePassword(await getSql(), user, input.data.currentPassword, input.data.newPassword);
    if (!changed) return { error: "The current password is not right.", fieldErrors: { currentPassword: "The current password is not right." } };
    await startSession({ id: user.id, email: user.email });
  } catch (error) {
    console.error("password change failed", error);
    return { error: SOMETHING_FAILED };
  }
  redirect("/");
}
