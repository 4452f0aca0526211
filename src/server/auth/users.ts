import { AppError, UNIQUE_VIOLATION, sqlState } from "../errors";
import type { Db } from "../db/sql";
import { hashPassword } from "./passwords";
import { revokeSessions } from "./session-versions";

export type UserForSignIn = { id: string; email: string; encrypted_password: string | null };

/** Creates a built-in account (auth.users, as the shim defines it). Needs the service role. */
export async function createUser(db: Db, input: { email: string; password: string }): Promise<{ id: string }> {
  const hash = await hashPassword(input.password);
  try {
    const [user] = await db<{ id: string }[]>`
      insert into auth.users (email, encrypted_password, email_confirmed_at)
      values (${input.email.toLowerCase()}, ${hash}, now())
      returning id`;
    return user!;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new AppError("conflict", "accounts.emailTaken", { field: "email" });
    }
    throw error;
  }
}

export async function findUserForSignIn(db: Db, email: string): Promise<UserForSignIn | undefined> {
  const [user] = await db<UserForSignIn[]>`
    select id, email, encrypted_password
    from auth.users
    where lower(email) = lower(${email})`;
  return user;
}

/** Sets a built-in account's password. Needs the service role. */
export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db`
    update auth.users
    set encrypted_password = ${hash}, updated_at = now()
    where id = ${userId}`;
  // Whoever knew the old password may hold a session from it: end them all.
  await revokeSessions(db, userId);
}

export async function recordSignIn(db: Db, userId: string): Promise<void> {
  await db`update auth.users set last_sign_in_at = now() where id = ${userId}`;
}
