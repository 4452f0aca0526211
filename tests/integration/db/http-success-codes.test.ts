import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { createEmptyDatabase, type TestDatabase } from "../support/database";

const MIGRATION = "20261207002000_http_success_codes.sql";
const SOURCE = path.join(process.cwd(), "supabase", "migrations");
let db: TestDatabase | undefined;
let dir: string | undefined;

afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(MIGRATION, () => {
  it("gives an HTTP job's earlier successes their status back, and leaves every other run alone", async () => {
    db = await createEmptyDatabase();
    const { sql } = db;
    dir = await mkdtemp(path.join(tmpdir(), "jobboard-http-codes-"));
    const files = (await readdir(SOURCE)).filter((file) => file.endsWith(".sql")).sort();
    for (const file of files.filter((file) => file < MIGRATION)) await copyFile(path.join(SOURCE, file), path.join(dir, file));
    await migrate(sql, { migrationsDir: dir });

    const [workspace] = await sql<{ id: string }[]>`insert into workspaces (name, slug) values ('Codes', 'codes') returning id`;
    const [http] = await sql<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, http_target)
      values (${workspace!.id}, 'hook', 'Hook', 'http', ${sql.json({ method: "POST", url: "https://example.com/hook" })}) returning id`;
    const [reported] = await sql<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title) values (${workspace!.id}, 'script', 'Script') returning id`;
    const run = async (jobId: string, status: string, exitCode: number | null, message: string) => {
      const [row] = await sql<{ id: string }[]>`
        insert into runs (workspace_id, job_id, trigger, status, exit_code, message, started_at, finished_at)
        values (${workspace!.id}, ${jobId}, 'manual', ${status}, ${exitCode}, ${message}, now(), now()) returning id`;
      return row!.id;
    };
    const ids = {
      noContent: await run(http!.id, "succeeded", 0, "HTTP 204"),
      failed: await run(http!.id, "failed", 500, "HTTP 500 Internal Server Error"),
      refused: await run(http!.id, "failed", null, "Request failed: connect ECONNREFUSED"),
      script: await run(reported!.id, "succeeded", 0, "HTTP 200 from the script's own words"),
    };

    await copyFile(path.join(SOURCE, MIGRATION), path.join(dir, MIGRATION));
    expect((await migrate(sql, { migrationsDir: dir })).applied).toEqual([MIGRATION]);
    const codes = Object.fromEntries(
      await Promise.all(Object.entries(ids).map(async ([name, id]) => [name, (await sql`select exit_code from runs where id = ${id}`)[0]!.exit_code])),
    );
    expect(codes).toEqual({ noContent: 204, failed: 500, refused: null, script: 0 });
  });
});
