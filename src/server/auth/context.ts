import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { isSecureCookies } from "@/lib/env";
import { getSql } from "../db/client";
import { withUser, type Tx } from "../db/transactions";
import { listMyWorkspaces, type MyWorkspace } from "../workspaces/queries";
import { claimsForUser, type SessionUser } from "./claims";
import { requireSessionUser } from "./session";

export const WORKSPACE_COOKIE = "jb_workspace";

/** How the workspace cookie is set everywhere: never readable by scripts, never sent cross-site. */
export function workspaceCookieOptions() {
  return { path: "/", sameSite: "lax", httpOnly: true, secure: isSecureCookies() } as const;
}

export type AppContext = {
  user: SessionUser;
  workspaces: MyWorkspace[];
  workspace: MyWorkspace;
  /** Runs `fn` in a transaction under this user's RLS. */
  db: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
};

/**
 * The signed-in user, their workspaces and the current one (chosen by cookie, else the first),
 * resolved once per request. Redirects to sign-in, or to onboarding when there is no workspace.
 */
export const getAppContext = cache(async (): Promise<AppContext> => {
  const user = await requireSessionUser();
  const sql = await getSql();
  const claims = claimsForUser(user);
  const db = <T,>(fn: (tx: Tx) => Promise<T>) => withUser(sql, claims, fn);
  const workspaces = await db(listMyWorkspaces);
  const chosen = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const workspace = workspaces.find((w) => w.slug === chosen) ?? workspaces[0];
  if (!workspace) redirect("/welcome");
  return { user, workspaces, workspace, db };
});
