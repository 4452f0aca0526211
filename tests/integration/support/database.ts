import { randomBytes } from "node:crypto";
import { startEmbeddedDatabase } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { createSql, type Sql } from "@/server/db/sql";

export type TestDatabase = {
  sql: Sql;
  url: string;
  kind: "postgres" | "pglite";
  close: () => Promise<void>;
};

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Tests create and drop databases: refuse anything but a server on this machine. */
export function assertLocalDatabaseUrl(url: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to run tests against ${host}: DATABASE_URL must point at a local server.`);
  }
}

/**
 * A fresh, empty database for one test file: a new database on the PostgreSQL server named by
 * DATABASE_URL, or, without it, a new in-memory PGlite served over pglite-socket.
 */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase({ dataDir: "memory" });
    const sql = createSql(embedded.url, { max: 1, prepare: false });
    return {
      sql,
      url: embedded.url,
      kind: "pglite",
      close: async () => {
        await sql.end({ timeout: 5 });
        await embedded.stop();
      },
    };
  }

  assertLocalDatabaseUrl(serverUrl);
  const name = `jobboard_test_${randomBytes(6).toString("hex")}`;
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 5 });
  return {
    sql,
    url: url.toString(),
    kind: "postgres",
    close: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** A fresh database with every migration applied. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  await migrate(db.sql);
  return db;
}
