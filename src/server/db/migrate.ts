import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import type { Sql } from "./sql";

export type MigrationResult = { applied: string[]; skipped: string[]; shimApplied: boolean };

const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant will do; it only has to be the same for every process that migrates.
const MIGRATION_LOCK_KEY = 4_207_310_511;

export function defaultMigrationsDir(): string {
  return path.join(process.cwd(), "supabase", "migrations");
}

function defaultShimPath(): string {
  return path.join(process.cwd(), "src", "server", "db", "sql", "auth-shim.sql");
}

/**
 * The newest migration this code carries, or null where the migrations are not deployed with
 * it (Vercel: Supabase applies them with `supabase db push`).
 */
export async function latestMigrationVersion(migrationsDir = defaultMigrationsDir()): Promise<string | null> {
  try {
    const files = await readdir(/*turbopackIgnore: true*/ migrationsDir);
    const versions = files.map((name) => MIGRATION_FILE.exec(name)?.[1]).filter((version): version is string => Boolean(version));
    return versions.sort().at(-1) ?? null;
  } catch {
    return null;
  }
}

/** The newest migration applied to this database, or null when none has been (or the ledger is missing). */
export async function appliedMigrationVersion(sql: Sql): Promise<string | null> {
  const [ledger] = await sql<{ present: boolean }[]>`select to_regclass('supabase_migrations.schema_migrations') is not null as present`;
  if (!ledger?.present) return null;
  const [row] = await sql<{ version: string | null }[]>`select max(version) as version from supabase_migrations.schema_migrations`;
  return row?.version ?? null;
}

/**
 * Applies the migrations in supabase/migrations that this database has not seen, recording each
 * in supabase_migrations.schema_migrations as the Supabase CLI does, so `supabase db push` and
 * this runner agree. Where Supabase's `auth` schema is missing (plain Postgres, PGlite), the
 * auth shim goes in first.
 */
export async function migrate(
  sql: Sql,
  options: { migrationsDir?: string; shimPath?: string } = {},
): Promise<MigrationResult> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  // The migrations are read only where this runner runs (embedded default, CLI), never traced into a deploy.
  const files = (await readdir(/*turbopackIgnore: true*/ migrationsDir)).filter((name) => name.endsWith(".sql")).sort();
  for (const name of files) {
    if (!MIGRATION_FILE.test(name)) {
      throw new Error(`Migration file "${name}" must be named <14-digit version>_<snake_case_name>.sql`);
    }
  }

  const connection = await sql.reserve();
  try {
    // A migration, or waiting for another process's, may take longer than any request may.
    await connection`select set_config('statement_timeout', '0', false), set_config('idle_in_transaction_session_timeout', '0', false)`;
    // Two processes starting at once must not both apply the same migration.
    await connection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await connection.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text primary key,
        statements text[],
        name text
      );`);

    const [authSchema] = await connection<{ exists: boolean }[]>`
      select exists (select 1 from pg_namespace where nspname = 'auth')`;
    const hasAuth = authSchema?.exists ?? false;
    let shimApplied = false;
    if (!hasAuth) {
      const shim = await readFile(/*turbopackIgnore: true*/ options.shimPath ?? defaultShimPath(), "utf8");
      await connection.unsafe(`begin;\n${shim}\ncommit;`).catch(async (error: unknown) => {
        await connection.unsafe("rollback").catch(() => {});
        throw error;
      });
      shimApplied = true;
    }

    const appliedRows = await connection<{ version: string }[]>`
      select version from supabase_migrations.schema_migrations`;
    const alreadyApplied = new Set(appliedRows.map((row) => row.version));

    const applied: string[] = [];
    const skipped: string[] = [];
    for (const file of files) {
      const [, version, name] = MIGRATION_FILE.exec(file)!;
      if (alreadyApplied.has(version!)) {
        skipped.push(file);
        continue;
      }
      const body = await readFile(/*turbopackIgnore: true*/ path.join(/*turbopackIgnore: true*/ migrationsDir, file), "utf8");
      await connection.unsafe("begin");
      try {
        await connection.unsafe(body);
        await connection`
          insert into supabase_migrations.schema_migrations (version, statements, name)
          values (${version!}, ${[body]}, ${name!})`;
        await connection.unsafe("commit");
      } catch (error) {
        await connection.unsafe("rollback").catch(() => {});
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    return { applied, skipped, shimApplied };
  } finally {
    await connection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    // Back to the pool's bounds (its startup parameters) before the connection serves requests.
    await connection.unsafe("reset statement_timeout; reset idle_in_transaction_session_timeout").catch(() => {});
    connection.release();
  }
}
