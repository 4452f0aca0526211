import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { createEmptyDatabase, type TestDatabase } from "../integration/support/database";
import { asUser } from "../integration/support/fixtures";

// The Supabase CLI the README's deploy path runs (pinned in devDependencies), against this
// suite's throwaway PostgreSQL with Supabase's auth schema in it, as a Supabase project has.
const run = promisify(execFile);
const open: TestDatabase[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

async function supabaseShapedDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  open.push(db);
  await db.sql.unsafe(await readFile(path.join(process.cwd(), "tests", "integration", "support", "supabase-auth.sql"), "utf8"));
  return db;
}

/** The CLI on the database, over a local connection without TLS, as `db push --db-url` takes it. */
async function supabase(db: TestDatabase, ...args: string[]): Promise<string> {
  const url = new URL(db.url);
  url.searchParams.set("sslmode", "disable");
  const { stdout, stderr } = await run("npx", ["supabase", ...args, "--db-url", url.toString()], {
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
    timeout: 120_000,
  });
  return `${stdout}\n${stderr}`;
}

/** `migration list`'s rows: each version, with whether it is in supabase/migrations and in the database. */
function listed(output: string): { version: string; local: boolean; remote: boolean }[] {
  return [...output.matchAll(/^\s*`?(\d{14})?`?\s*\|\s*`?(\d{14})?`?\s*\|/gm)].map((row) => ({
    version: (row[1] ?? row[2])!,
    local: Boolean(row[1]),
    remote: Boolean(row[2]),
  }));
}

async function localVersions(): Promise<string[]> {
  return (await readdir(path.join(process.cwd(), "supabase", "migrations"))).filter((name) => name.endsWith(".sql")).map((name) => name.slice(0, 14)).sort();
}

describe("the Supabase CLI and the app's migration runner", () => {
  it("agree after `supabase db push`: the runner finds nothing left to apply, and RLS holds", async () => {
    const db = await supabaseShapedDatabase();
    expect(await supabase(db, "db", "push", "--yes")).toContain("Finished supabase db push");
    const versions = await localVersions();
    expect(listed(await supabase(db, "migration", "list"))).toEqual(versions.map((version) => ({ version, local: true, remote: true })));

    const result = await migrate(db.sql);
    expect(result).toMatchObject({ applied: [], shimApplied: false });
    expect(result.skipped).toHaveLength(versions.length);

    // The pushed schema is the one the app runs on: a signed-in stranger reads none of a job.
    const [user] = await db.sql<{ id: string }[]>`
      insert into auth.users (id, aud, role, email) values (gen_random_uuid(), 'authenticated', 'authenticated', 'c@example.test') returning id`;
    const [workspace] = await db.sql<{ id: string }[]>`insert into workspaces (name, slug) values ('Pushed', 'pushed') returning id`;
    await db.sql`insert into jobs (workspace_id, job_key, title) values (${workspace!.id}, 'pushed', 'Pushed')`;
    expect(await asUser(db.sql, { id: user!.id, email: "c@example.test" }, (tx) => tx`select id from jobs`)).toHaveLength(0);
  }, 180_000);

  it("agree after the runner: the CLI lists every migration as applied and has nothing to push", async () => {
    const db = await supabaseShapedDatabase();
    expect((await migrate(db.sql)).shimApplied).toBe(false);
    const versions = await localVersions();
    expect(listed(await supabase(db, "migration", "list"))).toEqual(versions.map((version) => ({ version, local: true, remote: true })));
    expect(await supabase(db, "db", "push", "--dry-run")).toContain("Remote database is up to date");
  }, 180_000);
});
