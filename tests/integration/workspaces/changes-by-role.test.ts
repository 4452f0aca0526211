import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/server/workspaces/roles";
import { withService, type Tx } from "@/server/db/transactions";
import { AppError } from "@/server/errors";
import { createIngestKey, listIngestKeys, revokeIngestKey } from "@/server/ingest/key-service";
import { handleJobReport } from "@/server/ingest/http";
import { acknowledgeIncident } from "@/server/incidents/service";
import { createJob, deleteJob } from "@/server/jobs/definition-service";
import { jobFormSchema, jobValues } from "@/server/jobs/definition";
import { setJobPaused } from "@/server/jobs/service";
import { acceptInvitation, acceptInvitationWithNewAccount, createInvitation, findInvitation, listPendingInvitations, revokeInvitation } from "@/server/members/invitations";
import { changeMemberRole, listMembers, removeMember } from "@/server/members/service";
import { cancelRun, requestRun } from "@/server/runs/service";
import { deleteWorkspace, getWorkspaceSettings, setWorkspaceSlackWebhook, updateWorkspaceSettings } from "@/server/settings/service";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, outcome, seedTeam, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

let db: TestDatabase;
let workspaceId: string;
let users: Record<Role, TestUser>;
const ROLE_ORDER: Role[] = ["viewer", "operator", "admin", "owner"];

beforeAll(async () => {
  db = await createTestDatabase();
  ({ workspaceId, users } = await seedTeam(db.sql, "Ops"));
});

afterAll(async () => {
  await db?.close();
});

const actorOf = (user: TestUser) => ({ userId: user.id, email: user.email });
const unique = () => Math.random().toString(36).slice(2, 10);

async function service<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withService(db.sql, fn);
}

async function newJob(): Promise<string> {
  const [job] = await service((tx) => tx<{ id: string }[]>`
    insert into jobs (workspace_id, job_key, title, kind, task_name)
    values (${workspaceId}, ${`job-${unique()}`}, 'Nightly export', 'task', 'fail-on-demand') returning id`);
  return job!.id;
}

async function newQueuedRun(): Promise<string> {
  const jobId = await newJob();
  const [run] = await service((tx) => tx<{ id: string }[]>`
    insert into runs (workspace_id, job_id, status, trigger) values (${workspaceId}, ${jobId}, 'queued', 'manual') returning id`);
  return run!.id;
}

async function newIncident(): Promise<string> {
  const jobId = await newJob();
  const [incident] = await service((tx) => tx<{ id: string }[]>`
    insert into incidents (workspace_id, job_id, kind) values (${workspaceId}, ${jobId}, 'failed') returning id`);
  return incident!.id;
}

async function newMember(role: Role): Promise<TestUser> {
  const member = await seedUser(db.sql, `member-${role}`);
  await addMember(db.sql, workspaceId, member, role);
  return member;
}

async function newKey(): Promise<string> {
  return (await asUser(db.sql, users.owner, (tx) => createIngestKey(tx, { workspaceId, name: "fixture", scope: "report", actor: actorOf(users.owner) }))).id;
}

type Mutation = {
  name: string;
  minimum: Role;
  audit: string;
  /** Prepares what the action needs (as the service role) and returns the action itself. */
  prepare: () => Promise<(tx: Tx, user: TestUser) => Promise<unknown>>;
};

const MUTATIONS: Mutation[] = [
  {
    name: "change workspace settings",
    minimum: "admin",
    audit: "workspace.settings_updated",
    prepare: async () => (tx, user) =>
      updateWorkspaceSettings(tx, { workspaceId, actor: actorOf(user), values: { name: `Ops ${unique()}`, timezone: "Asia/Tokyo", retentionDays: 14, runHistoryDays: 90, defaultGraceSeconds: 120 } }),
  },
  {
    name: "set the Slack webhook",
    minimum: "admin",
    audit: "workspace.slack_webhook_set",
    prepare: async () => (tx, user) =>
      setWorkspaceSlackWebhook(tx, { workspaceId, actor: actorOf(user), url: `https://hooks.slack.test/services/T1/B2/${unique()}` }),
  },
  {
    name: "create an ingest key",
    minimum: "admin",
    audit: "key.created",
    prepare: async () => (tx, user) => createIngestKey(tx, { workspaceId, name: "ci", scope: "read", actor: actorOf(user) }),
  },
  {
    name: "revoke an ingest key",
    minimum: "admin",
    audit: "key.revoked",
    prepare: async () => {
      const keyId = await newKey();
      return (tx, user) => revokeIngestKey(tx, { workspaceId, keyId, actor: actorOf(user) });
    },
  },
  {
    name: "invite a member",
    minimum: "admin",
    audit: "invitation.created",
    prepare: async () => (tx, user) => createInvitation(tx, { workspaceId, email: `new-${unique()}@example.test`, role: "viewer", actor: actorOf(user) }),
  },
  {
    name: "revoke an invitation",
    minimum: "admin",
    audit: "invitation.revoked",
    prepare: async () => {
      const invitation = await asUser(db.sql, users.owner, (tx) => createInvitation(tx, { workspaceId, email: `revoked-${unique()}@example.test`, role: "viewer", actor: actorOf(users.owner) }));
      return (tx, user) => revokeInvitation(tx, { workspaceId, invitationId: invitation.id, actor: actorOf(user) });
    },
  },
  {
    name: "change a member's role",
    minimum: "admin",
    audit: "member.role_changed",
    prepare: async () => {
      const member = await newMember("viewer");
      return (tx, user) => changeMemberRole(tx, { workspaceId, userId: member.id, role: "operator", actor: actorOf(user) });
    },
  },
  {
    name: "remove a member",
    minimum: "admin",
    audit: "member.removed",
    prepare: async () => {
      const member = await newMember("viewer");
      return (tx, user) => removeMember(tx, { workspaceId, userId: member.id, actor: actorOf(user) });
    },
  },
  {
    name: "create a job",
    minimum: "admin",
    audit: "job.created",
    prepare: async () => {
      const form = jobFormSchema.parse({ jobKey: `job-${unique()}`, title: "Made in the matrix", kind: "reported" });
      return (tx, user) => createJob(tx, { workspaceId, values: jobValues(form), slack: {}, actor: actorOf(user) });
    },
  },
  {
    name: "delete a job",
    minimum: "admin",
    audit: "job.deleted",
    prepare: async () => {
      const jobId = await newJob();
      const [job] = await db.sql<{ job_key: string }[]>`select job_key from jobs where id = ${jobId}`;
      return (tx, user) => deleteJob(tx, { workspaceId, jobId, confirmKey: job!.job_key, actor: actorOf(user) });
    },
  },
  {
    name: "rerun a job",
    minimum: "operator",
    audit: "run.manual",
    prepare: async () => {
      const jobId = await newJob();
      return (tx, user) => requestRun(tx, { workspaceId, jobId, params: {}, actor: actorOf(user) });
    },
  },
  {
    name: "cancel a run",
    minimum: "operator",
    audit: "run.canceled",
    prepare: async () => {
      const runId = await newQueuedRun();
      return (tx, user) => cancelRun(tx, { workspaceId, runId, actor: actorOf(user) });
    },
  },
  {
    name: "acknowledge an incident",
    minimum: "operator",
    audit: "incident.acknowledged",
    prepare: async () => {
      const incidentId = await newIncident();
      return (tx, user) => acknowledgeIncident(tx, { workspaceId, incidentId, actor: actorOf(user) });
    },
  },
  {
    name: "pause a job",
    minimum: "operator",
    audit: "job.paused",
    prepare: async () => {
      const jobId = await newJob();
      return (tx, user) => setJobPaused(tx, { workspaceId, jobId, isPaused: true, actor: actorOf(user) });
    },
  },
];

async function auditCount(action: string, actorId: string): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`
    select count(*)::int as count from audit_log where workspace_id = ${workspaceId} and action = ${action} and actor_id = ${actorId}`;
  return row!.count;
}

describe("the permission matrix: each role × each mutating action, under RLS", () => {
  for (const mutation of MUTATIONS) {
    for (const role of ROLE_ORDER) {
      const allowed = ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(mutation.minimum);
      it(`${role} ${allowed ? "may" : "may not"} ${mutation.name}`, async () => {
        const user = users[role];
        const action = await mutation.prepare();
        const before = await auditCount(mutation.audit, user.id);
        let failure: unknown;
        try {
          await asUser(db.sql, user, (tx) => action(tx, user));
        } catch (error) {
          failure = error;
        }
        if (allowed) {
          expect(failure).toBeUndefined();
          // Audited in the same transaction, with the right actor.
          expect(await auditCount(mutation.audit, user.id)).toBe(before + 1);
        } else {
          // Refused as a refusal, not by some crash on the way.
          expect(failure).toBeInstanceOf(AppError);
          expect((failure as AppError).code).toBe("forbidden");
          expect(await auditCount(mutation.audit, user.id)).toBe(before);
        }
      });
    }
  }
});

describe("direct SQL under RLS", () => {
  it("refuses settings, keys, secrets and members to anyone below admin", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const results = await asUser(db.sql, users[role], async (tx) => ({
        rename: (await tx`update workspaces set name = 'hijacked' where id = ${workspaceId} returning id`).length,
        secret: await outcome(tx, (sp) => sp`insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspaceId}, 'https://evil.test') on conflict (workspace_id) do update set slack_webhook_url = excluded.slack_webhook_url`),
        readSecret: (await tx`select slack_webhook_url from workspace_secrets where workspace_id = ${workspaceId}`).length,
        key: await outcome(tx, (sp) => sp`insert into ingest_keys (workspace_id, name, prefix, secret_hash, created_by) values (${workspaceId}, 'x', ${`jb_${unique()}xxxx`}, 'x', ${users[role].id})`),
        promote: (await tx`update memberships set role = 'owner' where workspace_id = ${workspaceId} and user_id = ${users[role].id} returning user_id`).length,
        audit: await outcome(tx, (sp) => sp`update audit_log set action = 'forged' where workspace_id = ${workspaceId}`),
        auditDelete: await outcome(tx, (sp) => sp`delete from audit_log where workspace_id = ${workspaceId}`),
      }));
      expect(results).toEqual({ rename: 0, secret: "42501", readSecret: 0, key: "42501", promote: 0, audit: "42501", auditDelete: "42501" });
    }
  });

  it("lets an admin manage roles below owner but not touch an owner, and never strips the last owner", async () => {
    const admin = users.admin;
    const demoted = await asUser(db.sql, admin, (tx) => tx`
      update memberships set role = 'viewer' where workspace_id = ${workspaceId} and user_id = ${users.owner.id} returning user_id`);
    expect(demoted).toHaveLength(0);
    await expect(
      asUser(db.sql, admin, (tx) => changeMemberRole(tx, { workspaceId, userId: users.owner.id, role: "viewer", actor: actorOf(admin) })),
    ).rejects.toThrow(/Only an owner/);
    await expect(
      asUser(db.sql, admin, (tx) => createInvitation(tx, { workspaceId, email: `boss-${unique()}@example.test`, role: "owner", actor: actorOf(admin) })),
    ).rejects.toThrow(/Only an owner can make someone an owner/);
    // The only owner can neither leave nor demote themself…
    await expect(
      asUser(db.sql, users.owner, (tx) => removeMember(tx, { workspaceId, userId: users.owner.id, actor: actorOf(users.owner) })),
    ).rejects.toThrow(/needs an owner/);
    await expect(
      asUser(db.sql, users.owner, (tx) => changeMemberRole(tx, { workspaceId, userId: users.owner.id, role: "admin", actor: actorOf(users.owner) })),
    ).rejects.toThrow(/needs an owner/);
    // …until someone else is owner too.
    const second = await newMember("viewer");
    await asUser(db.sql, users.owner, (tx) => changeMemberRole(tx, { workspaceId, userId: second.id, role: "owner", actor: actorOf(users.owner) }));
    await asUser(db.sql, second, (tx) => removeMember(tx, { workspaceId, userId: second.id, actor: actorOf(second) }));
    const members = await asUser(db.sql, users.owner, (tx) => listMembers(tx, workspaceId));
    expect(members.find((member) => member.user_id === second.id)).toBeUndefined();
    const [left] = await db.sql<{ action: string; actor_id: string }[]>`
      select action, actor_id from audit_log where target_id = ${second.id} order by created_at desc limit 1`;
    expect(left).toEqual({ action: "member.left", actor_id: second.id });
  });
});

describe("invitations, keys and the Slack secret", () => {
  it("makes a pending invitation with a hashed token; the link creates the invited account and joins it", async () => {
    const email = `fresh-${unique()}@example.test`;
    const invitation = await asUser(db.sql, users.admin, (tx) => createInvitation(tx, { workspaceId, email, role: "viewer", actor: actorOf(users.admin) }));
    expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Pending: no account, no membership, and the list shows it without any secret.
    expect(await db.sql`select 1 from auth.users where email = ${email}`).toHaveLength(0);
    const pending = await asUser(db.sql, users.admin, (tx) => listPendingInvitations(tx, workspaceId));
    expect(pending.find((row) => row.id === invitation.id)).toMatchObject({ email, role: "viewer", invited_by_email: users.admin.email });
    const [stored] = await db.sql<{ token_hash: string }[]>`select token_hash from invitations where id = ${invitation.id}`;
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.token_hash).not.toContain(invitation.token);
    // Nobody signed in reads the hash, not even the admin who made it.
    expect(await asUser(db.sql, users.admin, (tx) => outcome(tx, (sp) => sp`select token_hash from invitations where id = ${invitation.id}`))).toBe("42501");
    expect(await asUser(db.sql, users.viewer, (tx) => listPendingInvitations(tx, workspaceId))).toEqual([]);

    const view = await service((tx) => findInvitation(tx, invitation.token));
    expect(view).toMatchObject({ email, role: "viewer", state: "pending", hasAccount: false, workspaceId });
    const joined = await service((tx) => acceptInvitationWithNewAccount(tx, { token: invitation.token, password: "my-own-password" }));
    expect(joined.user.email).toBe(email);
    const { authenticate } = await import("@/server/auth/accounts");
    expect((await authenticate(db.sql, email, "my-own-password"))?.id).toBe(joined.user.id);
    const members = await asUser(db.sql, users.admin, (tx) => listMembers(tx, workspaceId));
    expect(members.find((member) => member.email === email)?.role).toBe("viewer");
    const audit = await db.sql<{ action: string; actor_id: string; detail: Record<string, unknown> }[]>`
      select action, actor_id, detail from audit_log where target_id = ${invitation.id} order by created_at`;
    expect(audit.map((entry) => [entry.action, entry.actor_id])).toEqual([
      ["invitation.created", users.admin.id],
      ["invitation.accepted", joined.user.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain(invitation.token);
    expect((await service((tx) => findInvitation(tx, invitation.token)))?.state).toBe("accepted");
    expect(await asUser(db.sql, users.admin, (tx) => listPendingInvitations(tx, workspaceId))).not.toContainEqual(expect.objectContaining({ id: invitation.id }));
  });

  it("leaves an existing account alone until it accepts, refuses members and another address, and keeps only the newest link", async () => {
    const existing = await seedUser(db.sql, "existing");
    const first = await asUser(db.sql, users.admin, (tx) => createInvitation(tx, { workspaceId, email: existing.email, role: "operator", actor: actorOf(users.admin) }));
    const second = await asUser(db.sql, users.admin, (tx) => createInvitation(tx, { workspaceId, email: existing.email, role: "operator", actor: actorOf(users.admin) }));
    expect((await service((tx) => findInvitation(tx, first.token)))?.state).toBe("revoked");
    expect(await asUser(db.sql, users.admin, (tx) => listMembers(tx, workspaceId))).not.toContainEqual(expect.objectContaining({ user_id: existing.id }));
    // A link never sets a password on an account that exists: its owner signs in instead.
    await expect(service((tx) => acceptInvitationWithNewAccount(tx, { token: second.token, password: "taken-over-pass" }))).rejects.toThrow(/already exists/);
    await expect(service((tx) => acceptInvitation(tx, { token: second.token, user: users.viewer }))).rejects.toThrow(/another email/);
    await service((tx) => acceptInvitation(tx, { token: second.token, user: existing }));
    const members = await asUser(db.sql, users.admin, (tx) => listMembers(tx, workspaceId));
    expect(members.find((member) => member.user_id === existing.id)?.role).toBe("operator");
    await expect(
      asUser(db.sql, users.admin, (tx) => createInvitation(tx, { workspaceId, email: existing.email, role: "viewer", actor: actorOf(users.admin) })),
    ).rejects.toThrow(/already a member/);
  });

  it("a revoked key stops working at once", async () => {
    const key = await asUser(db.sql, users.admin, (tx) => createIngestKey(tx, { workspaceId, name: "batch server", scope: "report", actor: actorOf(users.admin) }));
    const send = () =>
      handleJobReport(
        new Request("http://jobboard.test/api/monitor/job-report", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key.token}` },
          body: JSON.stringify({ job_key: "nightly", title: "Nightly", status: "success", finished_at: new Date().toISOString() }),
        }),
        { webhookSecret: undefined, defaultWorkspace: undefined, getSql: async () => db.sql },
      );
    expect((await send()).status).toBe(200);
    const listed = await asUser(db.sql, users.admin, (tx) => listIngestKeys(tx, workspaceId));
    expect(listed.find((row) => row.id === key.id)).toMatchObject({ prefix: key.prefix, revoked_at: null });
    expect(listed.find((row) => row.id === key.id)?.last_used_at).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(key.token);
    await asUser(db.sql, users.admin, (tx) => revokeIngestKey(tx, { workspaceId, keyId: key.id, actor: actorOf(users.admin) }));
    const refused = await send();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "This ingest key has been revoked" });
  });

  it("keeps the Slack webhook write-only: settings and the audit log carry only a mask", async () => {
    const url = `https://hooks.slack.test/services/T9/B9/${unique()}secretTAIL`;
    await asUser(db.sql, users.admin, (tx) => setWorkspaceSlackWebhook(tx, { workspaceId, url, actor: actorOf(users.admin) }));
    const settings = await asUser(db.sql, users.admin, (tx) => getWorkspaceSettings(tx, workspaceId));
    expect(settings!.slack_webhook_masked).toBe("https://hooks.slack.test/…/••••TAIL");
    expect(JSON.stringify(settings)).not.toContain(url);
    const audit = await db.sql`select detail from audit_log where workspace_id = ${workspaceId} and action like 'workspace.slack%'`;
    expect(JSON.stringify(audit)).not.toContain(url);
  });
});

describe("deleting a workspace", () => {
  it("is for owners only, asks for the slug, and takes everything with it", async () => {
    const owner = await seedUser(db.sql, "doomed-owner");
    const doomed = await seedWorkspace(db.sql, owner, "Doomed");
    const admin = await seedUser(db.sql, "doomed-admin");
    await addMember(db.sql, doomed.id, admin, "admin");
    await service((tx) => tx`insert into jobs (workspace_id, job_key, title, kind) values (${doomed.id}, 'j', 'J', 'reported')`);

    await expect(
      asUser(db.sql, admin, (tx) => deleteWorkspace(tx, { workspaceId: doomed.id, confirmSlug: doomed.slug, actor: actorOf(admin) })),
    ).rejects.toThrow("Only an owner can delete the workspace.");
    await expect(
      asUser(db.sql, owner, (tx) => deleteWorkspace(tx, { workspaceId: doomed.id, confirmSlug: "wrong", actor: actorOf(owner) })),
    ).rejects.toMatchObject({ field: "confirmSlug" });
    await asUser(db.sql, owner, (tx) => deleteWorkspace(tx, { workspaceId: doomed.id, confirmSlug: doomed.slug, actor: actorOf(owner) }));
    const [left] = await db.sql<{ workspaces: number; jobs: number; memberships: number }[]>`
      select (select count(*)::int from workspaces where id = ${doomed.id}) as workspaces,
             (select count(*)::int from jobs where workspace_id = ${doomed.id}) as jobs,
             (select count(*)::int from memberships where workspace_id = ${doomed.id}) as memberships`;
    expect(left).toEqual({ workspaces: 0, jobs: 0, memberships: 0 });
  });
});

describe("deleting a job", () => {
  it("asks for the key, takes the runs and incidents with it, and keeps what it was in the audit log", async () => {
    const jobId = await newJob();
    const [job] = await db.sql<{ job_key: string }[]>`select job_key from jobs where id = ${jobId}`;
    await service((tx) => tx`
      insert into runs (workspace_id, job_id, status, trigger, finished_at) values (${workspaceId}, ${jobId}, 'failed', 'report', now())`);
    await service((tx) => tx`insert into incidents (workspace_id, job_id, kind) values (${workspaceId}, ${jobId}, 'failed')`);
    await expect(
      asUser(db.sql, users.admin, (tx) => deleteJob(tx, { workspaceId, jobId, confirmKey: "not-the-key", actor: actorOf(users.admin) })),
    ).rejects.toMatchObject({ field: "confirmKey" });
    await asUser(db.sql, users.admin, (tx) => deleteJob(tx, { workspaceId, jobId, confirmKey: job!.job_key, actor: actorOf(users.admin) }));
    const [left] = await db.sql<{ jobs: number; runs: number; incidents: number }[]>`
      select (select count(*)::int from jobs where id = ${jobId}) as jobs,
             (select count(*)::int from runs where job_id = ${jobId}) as runs,
             (select count(*)::int from incidents where job_id = ${jobId}) as incidents`;
    expect(left).toEqual({ jobs: 0, runs: 0, incidents: 0 });
    const [entry] = await db.sql<{ detail: Record<string, unknown> }[]>`
      select detail from audit_log where action = 'job.deleted' and target_id = ${jobId}`;
    expect(entry!.detail).toEqual({ before: { job_key: job!.job_key, title: "Nightly export", kind: "task" }, runs_deleted: 1 });
  });
});
