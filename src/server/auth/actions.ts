"use server";

import { isAuthRetryableFetchError } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { cookies, headers } from "next/headers";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { isSupabaseAuth, signUpMode } from "@/lib/env";
import { localPathOf } from "@/lib/local-path";
import { getSql } from "../db/client";
import { withService } from "../db/transactions";
import { clientAddress } from "../http/client-address";
import { hitRateLimit } from "../rate-limit/limiter";
import { SIGN_UP_PER_ADDRESS } from "../rate-limit/rules";
import { assertSignUpAllowed, authenticate, changePassword, createFirstWorkspace, signUp } from "./accounts";
import { WORKSPACE_COOKIE, workspaceCookieOptions } from "./context";
import { thenRedirect } from "./workspace-action";
import { changePasswordSchema, signInSchema, signUpSchema, workspaceNameSchema } from "./schemas";
import { endSession, requireSessionUser, startSession } from "./session";
import { admitSignIn, recordSignInFailure, recordSignInSuccess, refundSignIn, signInAttempt } from "./sign-in-limits";
import { createSupabaseServerClient } from "./supabase";
import { signUpWithSupabase } from "./supabase-sign-up";

const WRONG_CREDENTIALS = "Email or password is incorrect.";
const SOMETHING_FAILED = "Something went wrong on our side. Please try again.";
const AUTH_UNREACHABLE = "The sign-in service cannot be reached right now. Please try again in a moment.";

/** Supabase Auth's refusal in words: a wrong password is not the same as a service that cannot be reached. */
function supabaseSignInError(error: unknown): string {
  const status = (error as { status?: number }).status ?? 0;
  return isAuthRetryableFetchError(error) || status === 0 || status >= 500 ? AUTH_UNREACHABLE : WRONG_CREDENTIALS;
}

const tooManyAttempts = (seconds: number) => `Too many attempts; try again in ${seconds} s.`;

export async function signInAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = signInSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  try {
    // Counted before the password is checked, so that once refused even the right password
    // waits: a guesser learns nothing from the answer.
    const sql = await getSql();
    const attempt = signInAttempt(input.data.email, clientAddress(await headers()));
    const wait = await withService(sql, (tx) => admitSignIn(tx, attempt));
    if (wait > 0) return { error: tooManyAttempts(wait) };
    const failed = () => withService(sql, (tx) => recordSignInFailure(tx, attempt));
    // Only failures count: signing in often is not an attack.
    const succeeded = () => withService(sql, (tx) => recordSignInSuccess(tx, attempt));
    if (isSupabaseAuth()) {
      const supabase = await createSupabaseServerClient();
      const { error } = await supabase.auth.signInWithPassword(input.data);
      if (error) {
        const message = supabaseSignInError(error);
        // The person did nothing wrong: an outage must not use up their attempts.
        await (message === AUTH_UNREACHABLE ? withService(sql, (tx) => refundSignIn(tx, attempt)) : failed());
        return { error: message };
      }
      await succeeded();
    } else {
      const user = await authenticate(sql, input.data.email, input.data.password);
      if (!user) {
        await failed();
        return { error: WRONG_CREDENTIALS };
      }
      await succeeded();
      await startSession(user);
    }
  } catch (error) {
    console.error("sign-in failed", error);
    return { error: SOMETHING_FAILED };
  }
  // Back to where sign-in was asked for (an invitation), never off this site.
  redirect(localPathOf(formFields(form).next));
}

export async function signUpAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = signUpSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  return thenRedirect("sign-up failed", "/", async () => {
    const sql = await getSql();
    const address = clientAddress(await headers());
    const decision = await withService(sql, (tx) => hitRateLimit(tx, SIGN_UP_PER_ADDRESS, address));
    if (!decision.allowed) return { error: tooManyAttempts(decision.retryAfterSeconds) };
    const mode = signUpMode();
    if (isSupabaseAuth()) {
      await withService(sql, (tx) => assertSignUpAllowed(tx, mode));
      const answer = await signUpWithSupabase(sql, (await createSupabaseServerClient()).auth, input.data);
      if (answer !== "signed-in") return answer;
    } else {
      const { user, workspace } = await signUp(sql, input.data, { mode });
      await startSession(user);
      (await cookies()).set(WORKSPACE_COOKIE, workspace.slug, workspaceCookieOptions());
    }
  });
}

export async function createWorkspaceAction(_: ActionState, form: FormData): Promise<ActionState> {
  const input = workspaceNameSchema.safeParse(formFields(form));
  if (!input.success) return fieldErrors(input.error);
  const user = await requireSessionUser();
  try {
    const workspace = await createFirstWorkspace(await getSql(), user, input.data.workspaceName);
    (await cookies()).set(WORKSPACE_COOKIE, workspace.slug, workspaceCookieOptions());
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

/** Built-in accounts: replace the password. */
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
