import type { Sql } from "../db/sql";
import { withService, type Tx } from "../db/transactions";
import { AppError } from "../errors";
import { createWorkspace, type Workspace } from "../workspaces/service";
import type { SessionUser } from "./claims";
import { verifyPassword } from "./passwords";
import { createUser, findUserForSignIn, recordSignIn, setPassword } from "./users";

/** The user with this email and password, or null; the answer takes as long either way. */
export async function authenticate(sql: Sql, email: string, password: string): Promise<SessionUser | null> {
  return withService(sql, async (tx) => {
    const user = await findUserForSignIn(tx, email);
    const isValid = await verifyPassword(password, user?.encrypted_password);
    if (!user || !isValid) return null;
    await recordSignIn(tx, user.id);
    return { id: user.id, email: user.email };
  });
}

/** Replaces a built-in account's password after checking the current one; false when it is wrong. */
export async function changePassword(sql: Sql, user: SessionUser, current: string, next: string): Promise<boolean> {
  return withService(sql, async (tx) => {
    const account = await findUserForSignIn(tx, user.email);
    if (!account || account.id !== user.id || !(await verifyPassword(current, account.encrypted_password))) return false;
    await setPassword(tx, user.id, next);
    return true;
  });
}


/**
 * Refuses a sign-up in invite mode unless the database has no account yet: the first person
 * to sign up becomes the first owner. Locks so that two first sign-ups cannot both pass.
 */
export async function assertSignUpAllowed(tx: Tx, mode: "open" | "invite"): Promise<void> {
  if (mode === "open") return;
  await tx`select pg_advisory_xact_lock(hashtext('jobboard:first-owner'))`;
  const [row] = await tx<{ has_accounts: boolean }[]>`select exists (select 1 from auth.users) as has_accounts`;
  if (row!.has_accounts) throw new AppError("forbidden", "accounts.inviteOnly");
}

/** A new built-in account and its first workspace, owned by it; all or nothing. */
export async function signUp(
  sql: Sql,
  input: { email: string; password: string; workspaceName: string },
  options: { mode?: "open" | "invite" } = {},
): Promise<{ user: SessionUser; workspace: Workspace }> {
  return withService(sql, async (tx) => {
    await assertSignUpAllowed(tx, options.mode ?? "open");
    const { id } = await createUser(tx, { email: input.email, password: input.password });
    const email = input.email.toLowerCase();
    const workspace = await createWorkspace(tx, { name: input.workspaceName, ownerId: id, ownerLabel: email });
    return { user: { id, email }, workspace };
  });
}

/** The first workspace for a user who signed up through Supabase Auth. */
export async function createFirstWorkspace(sql: Sql, user: SessionUser, workspaceName: string): Promise<Workspace> {
  return withService(sql, (tx) => createWorkspace(tx, { name: workspaceName, ownerId: user.id, ownerLabel: user.email }));
}
