import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { createEmptyDatabase, type TestDatabase } from "../support/database";
import { asUser, outcome, seedRows } from "../support/fixtures";
import { HIDDEN_FROM_VIEWERS, SERVICE_ONLY, WORKSPACE_COLUMN } from "../support/tables";

const open: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  open.push(db);
  return db;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

async function migrationFiles(): Promise<string[]> {
  return (await readdir(path.join(process.cwd(), "supabase", "migrations"))).filter((f) => f.endsWith(".sql")).sort();
}

describe("migration runner", () => {
  it("applies every migration once, records it where the Supabase CLI looks, and skips it the second time", async () => {
    const { sql } = await emptyDatabase();
    const files = await migrationFiles();

    const first = await migrate(sql);
    expect(first.shimApplied).toBe(true);
    expect(first.applied).toEqual(files);

    const second = await migrate(sql);
    expect(second).toEqual({ applied: [], skipped: files, shimApplied: false });

    const recorded = await sql<{ version: string; name: string }[]>`
      select version, name from supabase_migrations.schema_migrations order by version`;
    expect(recorded.map((r) => `${r.version}_${r.name}.sql`)).toEqual(files);
  });

  it("applies unchanged onto a database that already has Supabase's auth schema, and RLS works there", async () => {
    const { sql } = await emptyDatabase();
    await sql.unsafe(await readFile(path.join(__dirname, "..", "support", "supabase-auth.sql"), "utf8"));

    const result = await migrate(sql);
    expect(result.shimApplied).toBe(false);
    expect(result.applied).toEqual(await migrationFiles());

    // Supabase's own users table is still the one in place.
    const [column] = await sql`
      select 1 from information_schema.columns
      where table_schema = 'auth' and table_name = 'users' and column_name = 'instance_id'`;
    expect(column).toBeDefined();

    const [member] = await sql<{ id: string }[]>`
      insert into auth.users (id, aud, role, email) values (gen_random_uuid(), 'authenticated', 'authenticated', 'a@example.test')
      returning id`;
    const [stranger] = await sql<{ id: string }[]>`
      insert into auth.users (id, aud, role, email) values (gen_random_uuid(), 'authenticated', 'authenticated', 'b@example.test')
      returning id`;
    const [workspace] = await sql<{ id: string }[]>`insert into workspaces (name, slug) values ('Team', 'team') returning id`;
    await sql`insert into memberships (workspace_id, user_id, role) values (${workspace!.id}, ${member!.id}, 'viewer')`;
    await seedRows(sql, workspace!.id, { id: member!.id, email: "a@example.test" });

    const memberUser = { id: member!.id, email: "a@example.test" };
    const strangerUser = { id: stranger!.id, email: "b@example.test" };
    // Every table, as on plain PostgreSQL: the member (a viewer) reads the workspace but not its
    // secrets, keys or invitations; someone of no workspace reads nothing at all.
    for (const [table, column] of Object.entries(WORKSPACE_COLUMN)) {
      const count = (user: typeof memberUser) =>
        asUser(sql, user, async (tx) => (await tx.unsafe(`select 1 from public.${table} where ${column} = $1`, [workspace!.id])).length);
      expect(await count(strangerUser), `${table}, seen by a stranger`).toBe(0);
      if (HIDDEN_FROM_VIEWERS.includes(table)) expect(await count(memberUser), `${table}, seen by a viewer`).toBe(0);
      else expect(await count(memberUser), `${table}, seen by a viewer`).toBeGreaterThan(0);
    }
    for (const table of SERVICE_ONLY) {
      expect(await asUser(sql, memberUser, (tx) => outcome(tx, (sp) => sp.unsafe(`select 1 from public.${table}`))), table).toBe("42501");
    }
    expect(await asUser(sql, memberUser, (tx) => tx`select id from jobs`)).toHaveLength(1);
    expect(await asUser(sql, strangerUser, (tx) => tx`select id from jobs`)).toHaveLength(0);
    // Supabase's blanket default grants were narrowed: a viewer still cannot insert a job.
    const insert = await asUser(sql, memberUser, (tx) =>
      outcome(tx, (sp) => sp`insert into jobs (workspace_id, job_key, title) values (${workspace!.id}, 'k', 'T')`),
    );
    expect(insert).toBe("42501");
  });

  it("rolls back a failing migration whole and records nothing for it", async () => {
    const { sql } = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "jobboard-migrations-"));
    await writeFile(path.join(dir, "20990101000000_good.sql"), "create table public.good (id int);");
    await writeFile(path.join(dir, "20990101000001_bad.sql"), "create table public.half (id int);\nselect no_such_function();");

    await expect(migrate(sql, { migrationsDir: dir })).rejects.toThrow(/20990101000001_bad\.sql failed/);
    const tables = await sql`select relname from pg_class where relname in ('good', 'half') order by relname`;
    expect(tables.map((t) => t.relname)).toEqual(["good"]);
    const versions = await sql`select version from supabase_migrations.schema_migrations`;
    expect(versions.map((v) => v.version)).toEqual(["20990101000000"]);
    await rm(dir, { recursive: true, force: true });
  });
});
