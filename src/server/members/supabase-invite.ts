import "server-only";
import { createClient } from "@supabase/supabase-js";
import { getEnv } from "@/lib/env";
import { AppError } from "../errors";

/**
 * Supabase Auth mode: Supabase sends the invitation email and creates the account; Jobboard
 * adds the membership. Needs the service-role key, which never leaves the server.
 */
export async function inviteThroughSupabase(email: string): Promise<string> {
  const env = getEnv();
  if (!env.NEXT_PUBLIC_SUPABASE_URL || !env.SUPABASE_SERVICE_ROLE_KEY) {
    throw new AppError("unavailable", "Inviting by email needs SUPABASE_SERVICE_ROLE_KEY on the server.");
  }
  const admin = createClient(env.NEXT_PUBLIC_SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, {
    auth: { autoRefreshToken: false, persistSession: false },
  });
  const { data, error } = await admin.auth.admin.inviteUserByEmail(email, env.APP_URL ? { redirectTo: env.APP_URL } : undefined);
  if (error || !data.user) {
    // An existing account cannot be invited again; find it and add the membership instead.
    const { data: list } = await admin.auth.admin.listUsers({ perPage: 1000 });
    const existing = list?.users.find((user) => user.email?.toLowerCase() === email);
    if (existing) return existing.id;
    throw new AppError("unavailable", `Supabase could not send the invitation: ${error?.message ?? "no user returned"}`);
  }
  return data.user.id;
}
