import type { SupabaseClient } from "@supabase/supabase-js";
import type { ActionState } from "@/lib/action-state";
import type { Sql } from "../db/sql";
import { createFirstWorkspace } from "./accounts";

/** What sign-up needs of a Supabase client's auth (the request's client, or a bare AuthClient). */
export type SupabaseSignUpAuth = Pick<SupabaseClient["auth"], "signUp" | "resetPasswordForEmail">;

export const CHECK_EMAIL = "Check your email to confirm your account, then sign in.";

// Supabase's ways of saying an email is taken: an error when confirmations are off, a user
// with no identities (and no mail sent) when they are on.
const TAKEN_CODES = new Set(["user_already_exists", "email_exists"]);

/**
 * Signs up through Supabase Auth and creates the new account's first workspace. A taken email
 * gets the same answer as a new one, so sign-up tells nobody which addresses have accounts;
 * its owner is mailed instead (a password reset they can ignore). "signed-in": go to the app.
 */
export async function signUpWithSupabase(
  sql: Sql,
  auth: SupabaseSignUpAuth,
  input: { email: string; password: string; workspaceName: string },
): Promise<ActionState | "signed-in"> {
  const { data, error } = await auth.signUp({ email: input.email, password: input.password });
  const isTaken = error ? TAKEN_CODES.has(error.code ?? "") : data.user?.identities?.length === 0;
  if (isTaken) {
    const { error: mailError } = await auth.resetPasswordForEmail(input.email);
    if (mailError) console.error("sign-up: could not mail the owner of a taken email", mailError.message);
    return { ok: true, error: CHECK_EMAIL };
  }
  if (error || !data.user) return { error: error?.message ?? "Something went wrong on our side. Please try again." };
  await createFirstWorkspace(sql, { id: data.user.id, email: input.email }, input.workspaceName);
  return data.session ? "signed-in" : { ok: true, error: CHECK_EMAIL };
}
