import { getEnv } from "@/lib/env";
import { startEmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";
import { createSql, REQUEST_BOUNDS, type Sql } from "./sql";

export type Database = { sql: Sql; isEmbedded: boolean };

// One pool (and, in the embedded default, one PGlite) per process. Kept on globalThis so that
// Next's dev reloads, which re-evaluate modules, find the running instance instead of a second.
const holder = globalThis as typeof globalThis & { __jobboardDatabase?: Promise<Database> };

async function openDatabase(): Promise<Database> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const pool = { max: env.DATABASE_POOL_MAX ?? 10, bounds: REQUEST_BOUNDS, prepare: env.DATABASE_PREPARED_STATEMENTS };
    return { sql: createSql(env.DATABASE_URL, pool), isEmbedded: false };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: env.JOBBOARD_DATA_DIR, port: env.JOBBOARD_EMBEDDED_PORT });
  const sql = createSql(embedded.url, { max: 1, bounds: REQUEST_BOUNDS, prepare: false });
  // The demo workspace is seeded by the server's start (src/instrumentation.ts), not here.
  await migrate(sql);
  const shutdown = () => {
    void sql.end({ timeout: 2 }).then(() => embedded.stop());
  };
  process.once("beforeExit", shutdown);
  return { sql, isEmbedded: true };
}

/** The process's database pool, opening (and in the embedded default, starting) it on first use. */
export function getDatabase(): Promise<Database> {
  holder.__jobboardDatabase ??= openDatabase().catch((error: unknown) => {
    holder.__jobboardDatabase = undefined;
    throw error;
  });
  return holder.__jobboardDatabase;
}

export async function getSql(): Promise<Sql> {
  return (await getDatabase()).sql;
}

/**
 * Makes `sql` the process's database, for code (Inngest functions) that asks getSql() for it:
 * tests hand in their own database this way.
 */
export function provideDatabase(sql: Sql): void {
  holder.__jobboardDatabase = Promise.resolve({ sql, isEmbedded: false });
}
