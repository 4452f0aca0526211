import type { Db } from "../db/sql";

/** The account's current session version (0 until something has revoked its sessions). */
export async function getSessionVersion(db: Db, userId: string): Promise<number> {
  const [row] = await db<{ version: number }[]>`select version from private.session_versions where user_id = ${userId}`;
  return row?.version ?? 0;
}

/** Ends every session the account has open, wherever its cookie is. Needs the service role. */
export async function revokeSessions(db: Db, userId: string): Promise<void> {
  await db`
    insert into private.session_versions (user_id, version) values (${userId}, 1)
    on conflict (user_id) do update set version = private.session_versions.version + 1, updated_at = now()`;
}
