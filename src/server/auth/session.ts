import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { isSecureCookies, isSupabaseAuth } from "@/lib/env";
import { getSql } from "../db/client";
import { withService } from "../db/transactions";
import type { SessionUser } from "./claims";
import { getAuthSecret } from "./secret";
import { SESSION_COOKIE, SESSION_TTL_SECONDS, createSessionToken, verifySessionToken } from "./session-token";
import { getSessionVersion, revokeSessions } from "./session-versions";
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
  const user = await verifySessionToken(token, await getAuthSecret());
  if (!user) return null;
  // A valid signature is not enough: sign-out, a new password or a removal may have revoked it.
  const current = await withService(await getSql(), (tx) => getSessionVersion(tx, user.id));
  return (user.sessionVersion ?? 0) === current ? user : null;
});

export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

/** Starts a built-in session: a signed, httpOnly cookie. */
export async function startSession(user: SessionUser): Promise<void> {
  const sessionVersion = await withService(await getSql(), (tx) => getSessionVersion(tx, user.id));
  const token = await createSessionToken({ ...user, sessionVersion }, await getAuthSecret());
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecureCookies(),
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
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  const user = token ? await verifySessionToken(token, await getAuthSecret()) : null;
  // Deleting the cookie here does nothing to a copy of it elsewhere: revoke it on the server.
  if (user) await withService(await getSql(), (tx) => revokeSessions(tx, user.id));
  jar.delete(SESSION_COOKIE);
}
