import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getEnv, isSupabaseAuth } from "@/lib/env";
import type { SessionUser } from "./claims";
import { getAuthSecret } from "./secret";
import { SESSION_COOKIE, SESSION_TTL_SECONDS, createSessionToken, verifySessionToken } from "./session-token";
import { createSupabaseServerClient } from "./supabase";

/** The signed-in user of this request, verified (Supabase's claims or our signed cookie), or null. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  if (isSupabaseAuth()) {
    const supabase = await createSupabaseServerClient();
    const { data, error } = await supabase.auth.getClaims();
    const claims = data?.claims;
    if (error || !claims?.sub || typeof claims.email !== "string") return null;
    return { id: claims.sub, email: claims.email };
  }
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return verifySessionToken(token, await getAuthSecret());
});

export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

/** Starts a built-in session: a signed, httpOnly cookie. */
export async function startSession(user: SessionUser): Promise<void> {
  const token = await createSessionToken(user, await getAuthSecret());
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: getEnv().NODE_ENV === "production" && Boolean(getEnv().APP_URL?.startsWith("https:")),
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
}

export async function endSession(): Promise<void> {
  if (isSupabaseAuth()) {
    const supabase = await createSupabaseServerClient();
    await supabase.auth.signOut();
    return;
  }
  (await cookies()).delete(SESSION_COOKIE);
}
