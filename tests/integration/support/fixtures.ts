import { randomBytes } from "node:crypto";
import { createUser } from "@/server/auth/users";
import { generateIngestKey } from "@/server/ingest/keys";
import { claimsForUser, type SessionUser } from "@/server/auth/claims";
import type { Role } from "@/server/workspaces/roles";
import type { Sql } from "@/server/db/sql";
import { withService, withUser, type Tx } from "@/server/db/transactions";
import { createWorkspace } from "@/server/workspaces/service";

export type TestUser = SessionUser;

const unique = () => randomBytes(4).toString("hex");

export async function seedUser(sql: Sql, label = "user"): Promise<TestUser> {
  const email = `${label}-${unique()}@example.test`;
  const { id } = await withService(sql, (tx) => createUser(tx, { email, password: "correct horse battery" }));
  return { id, email };
}

export async function seedWorkspace(sql: Sql, owner: TestUser, name = "Workspace"): Promise<{ id: string; slug: string }> {
  return withService(sql, (tx) => createWorkspace(tx, { name: `${name} ${unique()}`, ownerId: owner.id, ownerLabel: owner.email }));
}

export async function addMember(sql: Sql, workspaceId: string, user: TestUser, role: Role): Promise<void> {
  await withService(sql, (tx) => tx`
    insert into memberships (workspace_id, user_id, role) values (${workspaceId}, ${user.id}, ${role})`);
}

/** A workspace with one member of each role, its owner included. */
export async function seedTeam(sql: Sql, name: string): Promise<{ workspaceId: string; users: Record<Role, TestUser> }> {
  const owner = await seedUser(sql, "owner");
  const workspaceId = (await seedWorkspace(sql, owner, name)).id;
  const users = { owner } as Record<Role, TestUser>;
  for (const role of ["viewer", "operator", "admin"] as const) {
    users[role] = await seedUser(sql, role);
    await addMember(sql, workspaceId, users[role], role);
  }
  return { workspaceId, users };
}

export type SeededRows = { jobId: string; runId: string; incidentId: string; keyId: string };

/** One row in every workspace-scoped table, so isolation can be checked table by table. */
export async function seedRows(sql: Sql, workspaceId: string, actor: TestUser): Promise<SeededRows> {
  return withService(sql, async (tx) => {
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, task_name)
      values (${workspaceId}, ${`job-${unique()}`}, 'Nightly export', 'task', 'fail-on-demand')
      returning id`;
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger, started_at, finished_at, duration_ms, exit_code, stderr_tail)
      values (${workspaceId}, ${job!.id}, 'failed', 'report', now() - interval '1 minute', now(), 60000, 1, 'boom')
      returning id`;
    const [incident] = await tx<{ id: string }[]>`
      insert into incidents (workspace_id, job_id, kind, first_run_id, last_run_id)
      values (${workspaceId}, ${job!.id}, 'failed', ${run!.id}, ${run!.id})
      returning id`;
    const [key] = await tx<{ id: string }[]>`
      insert into ingest_keys (workspace_id, name, prefix, secret_hash, created_by)
      values (${workspaceId}, 'ci', ${`jb_${unique()}${unique()}`}, 'hash', ${actor.id})
      returning id`;
    await tx`
      insert into audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id)
      values (${workspaceId}, ${actor.id}, ${actor.email}, 'job.created', 'job', ${job!.id})`;
    await tx`
      insert into workspace_secrets (workspace_id, slack_webhook_url)
      values (${workspaceId}, 'https://hooks.slack.test/services/T000/B000/secret')`;
    await tx`
      insert into run_attempts (workspace_id, run_id, attempt, status, finished_at)
      values (${workspaceId}, ${run!.id}, 1, 'failed', now())`;
    await tx`
      insert into job_secrets (workspace_id, job_id, slack_webhook_url)
      values (${workspaceId}, ${job!.id}, 'https://hooks.slack.test/services/T000/B001/job-secret')`;
    await tx`
      insert into workspace_http_secrets (workspace_id, name, value) values (${workspaceId}, 'API_TOKEN', 'fixture-token')`;
    await tx`
      insert into alerts (workspace_id, job_id, run_id, incident_id, kind, status)
      values (${workspaceId}, ${job!.id}, ${run!.id}, ${incident!.id}, 'failure', 'sent')`;
    const [agent] = await tx<{ id: string }[]>`
      insert into agents (workspace_id, name, prefix, secret_hash)
      values (${workspaceId}, ${`agent-${unique()}`}, ${`jba_${unique()}${unique()}`}, 'hash')
      returning id`;
    await tx`insert into agent_incidents (workspace_id, agent_id) values (${workspaceId}, ${agent!.id})`;
    await tx`
      insert into invitations (workspace_id, email, role, token_hash, invited_by, expires_at)
      values (${workspaceId}, ${`invitee-${unique()}@example.test`}, 'viewer', ${unique() + unique()}, ${actor.id}, now() + interval '7 days')`;
    await tx`
      insert into maintenance_windows (workspace_id, job_id, title, cron, timezone, duration_minutes, created_by)
      values (${workspaceId}, ${job!.id}, 'Nightly vacuum', '0 3 * * *', 'Asia/Tokyo', 30, ${actor.id})`;
    return { jobId: job!.id, runId: run!.id, incidentId: incident!.id, keyId: key!.id };
  });
}

/** Runs `fn` under RLS as `user`, the way every request for a signed-in user does. */
export function asUser<T>(sql: Sql, user: TestUser, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withUser(sql, claimsForUser(user), fn);
}

/** Runs `fn` as Supabase's `anon` role with no claims: a visitor who is not signed in. */
export async function asAnon<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx`set local role anon`;
    return fn(tx);
  });
  return result as T;
}

/**
 * The SQLSTATE a statement fails with, or "ok". Runs in a savepoint so that a refused
 * statement does not abort the surrounding transaction.
 */
export async function outcome(tx: Tx, statement: (sp: Tx) => Promise<unknown>): Promise<string> {
  try {
    await tx.savepoint((sp) => statement(sp as Tx));
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** A new ingest key for a workspace, returned in full as it would be shown once. */
export async function seedIngestKey(
  sql: Sql,
  workspaceId: string,
  scope: "report" | "read" = "report",
): Promise<{ id: string; token: string }> {
  const key = generateIngestKey();
  const [row] = await withService(sql, (tx) => tx<{ id: string }[]>`
    insert into ingest_keys (workspace_id, name, prefix, secret_hash, scope)
    values (${workspaceId}, ${`key ${unique()}`}, ${key.prefix}, ${key.hash}, ${scope})
    returning id`);
  return { id: row!.id, token: key.token };
}
