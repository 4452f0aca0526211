import "server-only";
import { createClient } from "@supabase/supabase-js";
import { getEnv } from "@/lib/env";
import { AppError } from "../errors";

/**
 * Supabase Auth mode: Supabase emails the invitation and creates the account, and its link
 * lands on the invitation page, where the person accepts like anyone else. An address that
 * already has an account gets no email (Supabase refuses to invite it): the admin's link
 * reaches them instead, and nothing is attached until they sign in and accept.
 * Needs the service-role key, which never leaves the server. True when an email was sent.
 */
export async function inviteThroughSupabase(email: string, invitationUrl: string): Promise<boolean> {
  const env = getEnv();
  if (!env.NEXT_PUBLIC_SUPABASE_URL || !env.SUPABASE_SERVICE_ROLE_KEY) {
    throw new AppError("unavailable", "invitations.emailNeedsServiceKey");
  }
  const admin = createClient(env.NEXT_PUBLIC_SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, {
    auth: { autoRefreshToken: false, persistSession: false },
  });
  const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { redirectTo: invitationUrl });
  if (error || !data.user) {
    console.warn("Supabase did not send an invitation email", error?.message);
    return false;
  }
  return true;
}
