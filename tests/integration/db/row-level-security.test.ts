import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "../support/database";
import {
  addMember,
  asAnon,
  asUser,
  outcome,
  seedRows,
  seedUser,
  seedWorkspace,
  type SeededRows,
  type TestUser,
} from "../support/fixtures";
import { SERVICE_ONLY, SERVICE_ONLY_COLUMN, WORKSPACE_COLUMN } from "../support/tables";

const RLS_DENIED = "42501";

let db: TestDatabase;
let owner: TestUser, admin: TestUser, operator: TestUser, viewer: TestUser, outsider: TestUser;
let workspaceA: string, workspaceB: string;
let rowsA: SeededRows, rowsB: SeededRows;

async function countRows(user: TestUser, table: string, workspaceId: string): Promise<number> {
  const column = WORKSPACE_COLUMN[table]!;
  const rows = await asUser(db.sql, user, (tx) =>
    tx.unsafe(`select ${column} from public.${table} where ${column} = $1`, [workspaceId]),
  );
  return rows.length;
}

beforeAll(async () => {
  db = await createTestDatabase();
  [owner, admin, operator, viewer, outsider] = await Promise.all(
    ["owner", "admin", "operator", "viewer", "outsider"].map((label) => seedUser(db.sql, label)),
  ) as [TestUser, TestUser, TestUser, TestUser, TestUser];
  workspaceA = (await seedWorkspace(db.sql, owner, "A")).id;
  workspaceB = (await seedWorkspace(db.sql, outsider, "B")).id;
  await addMember(db.sql, workspaceA, admin, "admin");
  await addMember(db.sql, workspaceA, operator, "operator");
  await addMember(db.sql, workspaceA, viewer, "viewer");
  rowsA = await seedRows(db.sql, workspaceA, owner);
  rowsB = await seedRows(db.sql, workspaceB, outsider);
});

afterAll(async () => {
  await db?.close();
});

describe("row level security", () => {
  it("is enabled on every table in public, and every table is covered here", async () => {
    const tables = await db.sql<{ relname: string; relrowsecurity: boolean }[]>`
      select relname, relrowsecurity from pg_class
      where relnamespace = 'public'::regnamespace and relkind in ('r', 'p')
      order by relname`;
    expect(tables.map((t) => t.relname).sort()).toEqual([...Object.keys(WORKSPACE_COLUMN), ...SERVICE_ONLY].sort());
    expect(tables.filter((t) => !t.relrowsecurity)).toEqual([]);
  });

  it("keeps the service role's own tables from every member and visitor", async () => {
    // A scheduled job has a row in schedule_due_times.
    await withService(db.sql, (tx) => tx`
      insert into jobs (workspace_id, job_key, title, schedule_cron, schedule_timezone)
      values (${workspaceA}, 'rls-scheduled', 'RLS scheduled', '0 * * * *', 'UTC')`);
    // The scheduler's heartbeats belong to no workspace.
    await withService(db.sql, (tx) => tx`insert into tick_heartbeats (ticked_at, runner, duration_ms) values (now(), 'in-process', 10)`);
    for (const table of SERVICE_ONLY) {
      const [{ count }] = (await withService(db.sql, (tx) => tx.unsafe(`select count(*)::int as count from public.${table}`))) as unknown as [{ count: number }];
      expect(count, `${table} holds rows, so the check is not vacuous`).toBeGreaterThan(0);
      for (const user of [owner, viewer]) {
        const result = await asUser(db.sql, user, (tx) => outcome(tx, (sp) => sp.unsafe(`select 1 from public.${table}`)));
        expect(result, `${table} as ${user.email}`).toBe(RLS_DENIED);
      }
      expect(await asAnon(db.sql, (tx) => outcome(tx, (sp) => sp.unsafe(`select 1 from public.${table}`))), table).toBe(RLS_DENIED);
    }
  });

  it("shows a member of workspace A none of workspace B's rows, in every table", async () => {
    for (const table of Object.keys(WORKSPACE_COLUMN)) {
      // The owner sees A's rows (so the check is not vacuous) and none of B's.
      expect(await countRows(owner, table, workspaceA), `${table} in A`).toBeGreaterThan(0);
      expect(await countRows(owner, table, workspaceB), `${table} in B`).toBe(0);
      expect(await countRows(outsider, table, workspaceA), `${table} in A, seen from B`).toBe(0);
    }
  });

  it("lets a viewer read the workspace but not its secrets or keys", async () => {
    for (const table of ["workspaces", "memberships", "jobs", "runs", "incidents", "audit_log", "run_attempts", "maintenance_windows"]) {
      expect(await countRows(viewer, table, workspaceA), table).toBeGreaterThan(0);
    }
    expect(await countRows(viewer, "workspace_secrets", workspaceA)).toBe(0);
    expect(await countRows(viewer, "job_secrets", workspaceA)).toBe(0);
    expect(await countRows(viewer, "workspace_http_secrets", workspaceA)).toBe(0);
    expect(await countRows(viewer, "ingest_keys", workspaceA)).toBe(0);
    expect(await countRows(viewer, "invitations", workspaceA)).toBe(0);
  });

  it("shows a visitor who is not signed in nothing at all", async () => {
    for (const table of Object.keys(WORKSPACE_COLUMN)) {
      const result = await asAnon(db.sql, (tx) => outcome(tx, (sp) => sp.unsafe(`select 1 from public.${table}`)));
      expect(result, table).toBe(RLS_DENIED);
    }
  });

  it("lets no member write a run attempt, the owner included: only Jobboard records them", async () => {
    for (const user of [owner, admin, operator, viewer]) {
      await asUser(db.sql, user, async (tx) => {
        expect(
          await outcome(tx, (sp) => sp`
            insert into run_attempts (workspace_id, run_id, attempt, status) values (${workspaceA}, ${rowsA.runId}, 9, 'failed')`),
          `insert as ${user.email}`,
        ).toBe(RLS_DENIED);
        expect(await outcome(tx, (sp) => sp`update run_attempts set status = 'succeeded' where run_id = ${rowsA.runId}`), `update as ${user.email}`).toBe(RLS_DENIED);
        expect(await outcome(tx, (sp) => sp`delete from run_attempts where run_id = ${rowsA.runId}`), `delete as ${user.email}`).toBe(RLS_DENIED);
      });
    }
    const [attempt] = await withService(db.sql, (tx) => tx<{ status: string }[]>`select status from run_attempts where run_id = ${rowsA.runId}`);
    expect(attempt!.status).toBe("failed");
  });

  it("lets admins and the owner read and write a job's secrets, and no operator or viewer", async () => {
    const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title) values (${workspaceA}, 'rls-secret', 'RLS secret') returning id`);
    const hook = (who: string) => `https://hooks.slack.test/services/T000/B002/${who}`;
    for (const user of [operator, viewer]) {
      await asUser(db.sql, user, async (tx) => {
        expect(await tx`select 1 from job_secrets where workspace_id = ${workspaceA}`, `read as ${user.email}`).toHaveLength(0);
        expect(
          await outcome(tx, (sp) => sp`
            insert into job_secrets (workspace_id, job_id, slack_webhook_url) values (${workspaceA}, ${job!.id}, ${hook("intruder")})`),
          `insert as ${user.email}`,
        ).toBe(RLS_DENIED);
        expect(await tx`update job_secrets set slack_webhook_url = ${hook("intruder")} where job_id = ${rowsA.jobId} returning job_id`).toHaveLength(0);
        expect(await tx`delete from job_secrets where job_id = ${rowsA.jobId} returning job_id`).toHaveLength(0);
      });
    }
    await asUser(db.sql, admin, async (tx) => {
      await tx`insert into job_secrets (workspace_id, job_id, slack_webhook_url) values (${workspaceA}, ${job!.id}, ${hook("admin")})`;
      expect(await tx`select slack_webhook_url from job_secrets where job_id = ${job!.id}`).toEqual([{ slack_webhook_url: hook("admin") }]);
    });
    await asUser(db.sql, owner, async (tx) => {
      expect(await tx`update job_secrets set slack_webhook_url = ${hook("owner")} where job_id = ${job!.id} returning job_id`).toHaveLength(1);
      expect(await tx`delete from job_secrets where job_id = ${job!.id} returning job_id`).toHaveLength(1);
    });
    // The operator's and viewer's attempts on the seeded secret changed nothing.
    const [seeded] = await withService(db.sql, (tx) => tx<{ slack_webhook_url: string }[]>`select slack_webhook_url from job_secrets where job_id = ${rowsA.jobId}`);
    expect(seeded!.slack_webhook_url).toBe("https://hooks.slack.test/services/T000/B001/job-secret");
  });

  it("refuses a viewer who adds a member or removes another one", async () => {
    const newcomer = await seedUser(db.sql, "newcomer");
    await asUser(db.sql, viewer, async (tx) => {
      expect(
        await outcome(tx, (sp) => sp`insert into memberships (workspace_id, user_id, role) values (${workspaceA}, ${newcomer.id}, 'viewer')`),
      ).toBe(RLS_DENIED);
      expect(await tx`delete from memberships where workspace_id = ${workspaceA} and user_id = ${operator.id} returning user_id`).toHaveLength(0);
    });
    const members = await withService(db.sql, (tx) => tx<{ user_id: string }[]>`
      select user_id from memberships where workspace_id = ${workspaceA} and user_id in (${newcomer.id}, ${operator.id})`);
    expect(members).toEqual([{ user_id: operator.id }]);
  });

  it("refuses every write of a visitor who is not signed in, in every table", async () => {
    for (const table of [...Object.keys(WORKSPACE_COLUMN), ...SERVICE_ONLY]) {
      const column = WORKSPACE_COLUMN[table] ?? SERVICE_ONLY_COLUMN[table] ?? "job_id";
      await asAnon(db.sql, async (tx) => {
        expect(await outcome(tx, (sp) => sp.unsafe(`insert into public.${table} default values`)), `insert into ${table}`).toBe(RLS_DENIED);
        expect(await outcome(tx, (sp) => sp.unsafe(`update public.${table} set ${column} = ${column}`)), `update ${table}`).toBe(RLS_DENIED);
        expect(await outcome(tx, (sp) => sp.unsafe(`delete from public.${table}`)), `delete from ${table}`).toBe(RLS_DENIED);
      });
    }
  });

  it("refuses a viewer who tries to cancel a queued or running run, which an operator then cancels", async () => {
    const [job] = await withService(db.sql, (tx) => tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, task_name)
      values (${workspaceA}, 'rls-cancel', 'RLS cancel', 'task', 'fail-on-demand') returning id`);
    const runs = await withService(db.sql, (tx) => tx<{ id: string; status: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, started_at)
      values (${workspaceA}, ${job!.id}, 'queued', 'manual', null), (${workspaceA}, ${job!.id}, 'running', 'manual', now())
      returning id, status`);
    expect(runs.map((run) => run.status).sort()).toEqual(["queued", "running"]);
    for (const run of runs) {
      // The viewer's cancel is the operator's statement, word for word: only the role differs.
      const cancel = (user: TestUser) => asUser(db.sql, user, (tx) => tx`
        update runs set status = 'canceled', finished_at = now(), canceled_by = ${user.id} where id = ${run.id} returning id`);
      expect(await cancel(viewer), `${run.status} run, as a viewer`).toHaveLength(0);
      expect(await cancel(operator), `${run.status} run, as an operator`).toHaveLength(1);
    }
    const stored = await withService(db.sql, (tx) => tx<{ status: string }[]>`select status from runs where job_id = ${job!.id}`);
    expect(stored.map((run) => run.status)).toEqual(["canceled", "canceled"]);
  });

  it("refuses a viewer who tries to queue a run, edit a job or acknowledge an incident", async () => {
    const [before] = await withService(db.sql, (tx) => tx<{ title: string }[]>`select title from jobs where id = ${rowsA.jobId}`);
    await asUser(db.sql, viewer, async (tx) => {
      expect(
        await outcome(tx, (sp) => sp`
          insert into runs (workspace_id, job_id, trigger, triggered_by)
          values (${workspaceA}, ${rowsA.jobId}, 'manual', ${viewer.id})`),
      ).toBe(RLS_DENIED);
      const edited = await tx`update jobs set title = 'hijacked' where id = ${rowsA.jobId} returning id`;
      expect(edited).toHaveLength(0);
      const acknowledged = await tx`
        update incidents set acknowledged_at = now() where id = ${rowsA.incidentId} returning id`;
      expect(acknowledged).toHaveLength(0);
    });
    // Whatever an admin's test renamed it to before, the viewer's edit changed nothing.
    const [job] = await withService(db.sql, (tx) => tx<{ title: string }[]>`select title from jobs where id = ${rowsA.jobId}`);
    expect(job!.title).toBe(before!.title);
  });

  it("lets an operator queue a manual run, cancel it and acknowledge an incident, but not edit or create jobs", async () => {
    await asUser(db.sql, operator, async (tx) => {
      const [run] = await tx<{ id: string; status: string }[]>`
        insert into runs (workspace_id, job_id, trigger, triggered_by, params)
        values (${workspaceA}, ${rowsA.jobId}, 'manual', ${operator.id}, ${tx.json({ limit: 10 })})
        returning id, status`;
      expect(run!.status).toBe("queued");
      const canceled = await tx`
        update runs set status = 'canceled', finished_at = now(), canceled_by = ${operator.id}
        where id = ${run!.id} returning id`;
      expect(canceled).toHaveLength(1);
      const acknowledged = await tx`
        update incidents set acknowledged_at = now(), acknowledged_by = ${operator.id}
        where id = ${rowsA.incidentId} returning id`;
      expect(acknowledged).toHaveLength(1);

      const edited = await tx`update jobs set title = 'renamed' where id = ${rowsA.jobId} returning id`;
      expect(edited).toHaveLength(0);
      expect(
        await outcome(tx, (sp) => sp`insert into jobs (workspace_id, job_key, title) values (${workspaceA}, 'new', 'New')`),
      ).toBe(RLS_DENIED);
    });
  });

  it("refuses an operator who queues a run as someone else, as a report, or in another workspace", async () => {
    await asUser(db.sql, operator, async (tx) => {
      const attempts = [
        (sp: typeof tx) => sp`insert into runs (workspace_id, job_id, trigger, triggered_by)
                 values (${workspaceA}, ${rowsA.jobId}, 'manual', ${viewer.id})`,
        (sp: typeof tx) => sp`insert into runs (workspace_id, job_id, trigger, triggered_by)
                 values (${workspaceA}, ${rowsA.jobId}, 'report', ${operator.id})`,
        (sp: typeof tx) => sp`insert into runs (workspace_id, job_id, trigger, triggered_by)
                 values (${workspaceB}, ${rowsB.jobId}, 'manual', ${operator.id})`,
      ];
      for (const attempt of attempts) expect(await outcome(tx, attempt)).toBe(RLS_DENIED);
      // Only the status may move to canceled; a finished run cannot be "un-failed".
      const rewritten = await tx`update runs set status = 'succeeded' where id = ${rowsA.runId} returning id`;
      expect(rewritten).toHaveLength(0);
    });
  });

  it("lets an admin create and edit jobs and read secrets, but not make anyone an owner", async () => {
    await asUser(db.sql, admin, async (tx) => {
      const edited = await tx`update jobs set title = 'Nightly export v2' where id = ${rowsA.jobId} returning id`;
      expect(edited).toHaveLength(1);
      const [created] = await tx`
        insert into jobs (workspace_id, job_key, title) values (${workspaceA}, 'admin-made', 'Admin made') returning id`;
      expect(created).toBeDefined();
      const secrets = await tx`select slack_webhook_url from workspace_secrets where workspace_id = ${workspaceA}`;
      expect(secrets).toHaveLength(1);
      expect(
        await outcome(tx, (sp) => sp`update memberships set role = 'owner' where user_id = ${viewer.id} and workspace_id = ${workspaceA}`),
      ).toBe(RLS_DENIED);
      const demoted = await tx`
        update memberships set role = 'viewer' where user_id = ${owner.id} and workspace_id = ${workspaceA} returning user_id`;
      expect(demoted).toHaveLength(0);
      // Editing a job in another workspace silently matches nothing.
      const foreign = await tx`update jobs set title = 'x' where id = ${rowsB.jobId} returning id`;
      expect(foreign).toHaveLength(0);
    });
  });

  it("keeps the audit log append-only for every member, the owner included", async () => {
    await asUser(db.sql, owner, async (tx) => {
      // Entries go through public.record_audit, which records the signed-in user as the actor.
      expect(
        await outcome(tx, (sp) => sp`
          select public.record_audit(${workspaceA}, ${owner.id}, ${owner.email}, 'incident.acknowledged', 'incident', null, '{}')`),
      ).toBe("ok");
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type)
          values (${workspaceA}, ${owner.id}, ${owner.email}, 'incident.acknowledged', 'incident')`),
      ).toBe(RLS_DENIED);
      expect(await outcome(tx, (sp) => sp`update audit_log set action = 'nothing' where workspace_id = ${workspaceA}`)).toBe(
        RLS_DENIED,
      );
      expect(await outcome(tx, (sp) => sp`delete from audit_log where workspace_id = ${workspaceA}`)).toBe(RLS_DENIED);
      // Nor may a member write an entry in someone else's name.
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type)
          values (${workspaceA}, ${viewer.id}, 'viewer', 'job.deleted', 'job')`),
      ).toBe(RLS_DENIED);
    });
  });

  it("never lets a signed-in user read an ingest key's hash, while admins see the key itself", async () => {
    await asUser(db.sql, owner, async (tx) => {
      const keys = await tx`select prefix, last_used_at from ingest_keys where id = ${rowsA.keyId}`;
      expect(keys).toHaveLength(1);
      expect(await outcome(tx, (sp) => sp`select secret_hash from ingest_keys`)).toBe(RLS_DENIED);
    });
  });
});
