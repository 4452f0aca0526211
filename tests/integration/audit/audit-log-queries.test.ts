import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditListQuerySchema } from "@/server/audit/list-query";
import { listAuditEntries, listAuditFacets, type AuditEntryRow, type AuditFilters } from "@/server/audit/queries";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addMember, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../support/fixtures";

const RLS_DENIED = "42501";

let db: TestDatabase;
let owner: TestUser, viewer: TestUser, outsider: TestUser;
let workspaceA: string, workspaceB: string;

type Seed = { actor: TestUser | "system"; action: string; targetType: string; targetId?: string; at: string; detail?: object };

async function insertEntries(workspaceId: string, entries: Seed[]): Promise<void> {
  await withService(db.sql, async (tx) => {
    for (const entry of entries) {
      const actor = entry.actor === "system" ? null : entry.actor;
      await tx`
        insert into audit_log (workspace_id, actor_id, actor_label, action, target_type, target_id, detail, created_at)
        values (${workspaceId}, ${actor?.id ?? null}, ${actor?.email ?? "system"}, ${entry.action}, ${entry.targetType},
                ${entry.targetId ?? null}, ${tx.json((entry.detail ?? {}) as never)}, ${entry.at}::text::timestamptz)`;
    }
  });
}

const JOB_1 = "6f1c1c8e-1111-4c1c-8c1c-111111111111";
const JOB_2 = "6f1c1c8e-2222-4c1c-8c1c-222222222222";

beforeAll(async () => {
  db = await createTestDatabase();
  [owner, viewer, outsider] = (await Promise.all(["owner", "viewer", "outsider"].map((label) => seedUser(db.sql, label)))) as [
    TestUser,
    TestUser,
    TestUser,
  ];
  workspaceA = (await seedWorkspace(db.sql, owner, "A")).id;
  workspaceB = (await seedWorkspace(db.sql, outsider, "B")).id;
  await addMember(db.sql, workspaceA, viewer, "viewer");

  const entries: Seed[] = [];
  for (let i = 0; i < 12; i++) {
    entries.push({
      actor: i % 3 === 0 ? "system" : owner,
      action: i % 2 === 0 ? "job.updated" : "job.paused",
      targetType: "job",
      targetId: i % 4 === 0 ? JOB_1 : JOB_2,
      at: `2026-11-20T${String(10 + i).padStart(2, "0")}:00:00Z`,
      detail: { before: { title: `t${i}` }, after: { title: `t${i + 1}` } },
    });
  }
  // Three entries within one millisecond, and two at the very same instant (ordered by id).
  entries.push(
    { actor: viewer, action: "incident.acknowledged", targetType: "incident", at: "2026-11-21T00:00:00.123100Z" },
    { actor: viewer, action: "incident.acknowledged", targetType: "incident", at: "2026-11-21T00:00:00.123456Z" },
    { actor: viewer, action: "run.canceled", targetType: "run", targetId: "run-1", at: "2026-11-21T00:00:00.123900Z" },
    { actor: owner, action: "run.manual", targetType: "run", targetId: "run-2", at: "2026-11-21T01:00:00Z" },
    { actor: owner, action: "run.manual", targetType: "run", targetId: "run-3", at: "2026-11-21T01:00:00Z" },
  );
  await insertEntries(workspaceA, entries);
  await insertEntries(workspaceB, [
    { actor: outsider, action: "job.updated", targetType: "job", targetId: JOB_1, at: "2026-11-22T00:00:00Z" },
  ]);
});

afterAll(async () => {
  await db?.close();
});

/** The whole filtered log, page by page, carrying the cursor through the URL form the page uses. */
async function walk(user: TestUser, filters: Omit<AuditFilters, "after" | "limit">, limit: number) {
  const seen: AuditEntryRow[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { before } = auditListQuerySchema.parse({ before: cursor ?? undefined });
    if (cursor) expect(before).toBeDefined();
    const page = await asUser(db.sql, user, (tx) => listAuditEntries(tx, { ...filters, after: before, limit }));
    seen.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { seen, pages };
}

type Stored = { id: number; actor_label: string; action: string; target_type: string; target_id: string | null };

/** The oracle: every entry of the workspace, read directly, in the order pages must follow. */
async function expectedOrder(workspaceId: string, keep: (row: Stored) => boolean = () => true): Promise<number[]> {
  const rows = await db.sql<Stored[]>`
    select id, actor_label, action, target_type, target_id from audit_log
    where workspace_id = ${workspaceId} order by created_at desc, id desc`;
  return rows.filter(keep).map((row) => row.id);
}

describe("listAuditEntries", () => {
  it("shows a viewer the workspace's log newest first, with what each entry says", async () => {
    const { items: rows, nextCursor } = await asUser(db.sql, viewer, (tx) => listAuditEntries(tx, { workspaceId: workspaceA, limit: 100 }));
    expect(nextCursor).toBeNull();
    // The workspace's own creation is in the log too.
    expect(rows.map((row) => row.id)).toEqual(await expectedOrder(workspaceA));
    expect(rows.map((row) => row.action)).toContain("workspace.created");
    const edit = rows.find((row) => row.action === "job.updated" && row.detail.before);
    expect(edit).toMatchObject({ target_type: "job", detail: { before: { title: expect.any(String) }, after: { title: expect.any(String) } } });
    // The cursor keeps the microseconds a Date would lose.
    expect(rows.find((row) => row.action === "run.canceled")!.cursor_at).toBe("2026-11-21T00:00:00.123900Z");
  });

  it("pages by (created_at, id) without skipping or repeating entries, even a microsecond apart", async () => {
    const expected = await expectedOrder(workspaceA);
    for (const limit of [1, 2, 5]) {
      const { seen, pages } = await walk(viewer, { workspaceId: workspaceA }, limit);
      expect(seen.map((row) => row.id), `limit ${limit}`).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / limit));
    }
    // The two entries of the very same instant, split by a page boundary, are ordered by id.
    const sameInstant = await expectedOrder(workspaceA, (row) => row.action === "run.manual");
    const { seen } = await walk(viewer, { workspaceId: workspaceA, action: "run.manual" }, 1);
    expect(seen.map((row) => row.id)).toEqual(sameInstant);
    expect(sameInstant).toHaveLength(2);
    expect(sameInstant[0]).toBeGreaterThan(sameInstant[1]!);
  });

  it("reads a tampered cursor as the first page", async () => {
    const first = await asUser(db.sql, viewer, (tx) => listAuditEntries(tx, { workspaceId: workspaceA, limit: 3 }));
    expect(first.nextCursor).not.toBeNull();
    const next = auditListQuerySchema.parse({ before: first.nextCursor }).before;
    expect(next).toEqual([first.items[2]!.cursor_at, first.items[2]!.id]);
    for (const before of [`${first.nextCursor}x`, "garbage", Buffer.from(JSON.stringify([next![0], "1"])).toString("base64url")]) {
      const after = auditListQuerySchema.parse({ before }).before;
      expect(after, before).toBeUndefined();
      expect(await asUser(db.sql, viewer, (tx) => listAuditEntries(tx, { workspaceId: workspaceA, after, limit: 3 }))).toEqual(first);
    }
  });

  it("filters by actor, action, target type and target id, alone and together, across pages", async () => {
    const cases: Array<[Omit<AuditFilters, "workspaceId">, (row: Stored) => boolean]> = [
      [{ actor: "system" }, (row) => row.actor_label === "system"],
      [{ actor: viewer.email }, (row) => row.actor_label === viewer.email],
      [{ action: "job.paused" }, (row) => row.action === "job.paused"],
      [{ targetType: "run" }, (row) => row.target_type === "run"],
      [{ targetType: "job", targetId: JOB_1 }, (row) => row.target_type === "job" && row.target_id === JOB_1],
      [{ actor: owner.email, action: "job.updated" }, (row) => row.actor_label === owner.email && row.action === "job.updated"],
    ];
    for (const [filters, where] of cases) {
      const expected = await expectedOrder(workspaceA, where);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      const { seen } = await walk(viewer, { workspaceId: workspaceA, ...filters }, 2);
      expect(seen.map((row) => row.id), JSON.stringify(filters)).toEqual(expected);
    }
    const none = await asUser(db.sql, viewer, (tx) => listAuditEntries(tx, { workspaceId: workspaceA, action: "job.deleted" }));
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it("shows nothing of a workspace to someone outside it, whatever id they ask for", async () => {
    const rows = await asUser(db.sql, outsider, (tx) => listAuditEntries(tx, { workspaceId: workspaceA, limit: 100 }));
    expect(rows).toEqual({ items: [], nextCursor: null });
    const facets = await asUser(db.sql, outsider, (tx) => listAuditFacets(tx, workspaceA));
    expect(facets).toEqual({ actors: [], actions: [], targetTypes: [] });
  });
});

describe("listAuditFacets", () => {
  it("lists each distinct actor, action and target type once, sorted, from the workspace's own log", async () => {
    const facets = await asUser(db.sql, viewer, (tx) => listAuditFacets(tx, workspaceA));
    expect(facets.actors).toEqual([owner.email, "system", viewer.email].sort());
    expect(facets.actions).toEqual(["incident.acknowledged", "job.paused", "job.updated", "run.canceled", "run.manual", "workspace.created"]);
    expect(facets.targetTypes).toEqual(["incident", "job", "run", "workspace"]);
    expect(facets.actors).not.toContain(outsider.email);
  });
});

describe("the audit log under RLS, for a viewer", () => {
  it("can be read but not changed, removed or forged", async () => {
    await asUser(db.sql, viewer, async (tx) => {
      const [row] = await tx<{ count: number }[]>`select count(*)::int as count from audit_log where workspace_id = ${workspaceA}`;
      expect(row!.count).toBeGreaterThan(0);
      expect(await outcome(tx, (sp) => sp`update audit_log set detail = '{}' where workspace_id = ${workspaceA}`)).toBe(RLS_DENIED);
      expect(await outcome(tx, (sp) => sp`delete from audit_log where workspace_id = ${workspaceA}`)).toBe(RLS_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type)
          values (${workspaceA}, ${owner.id}, ${owner.email}, 'job.deleted', 'job')`),
      ).toBe(RLS_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type)
          values (${workspaceA}, null, 'system', 'job.deleted', 'job')`),
      ).toBe(RLS_DENIED);
      expect(
        await outcome(tx, (sp) => sp`
          insert into audit_log (workspace_id, actor_id, actor_label, action, target_type)
          values (${workspaceB}, ${viewer.id}, ${viewer.email}, 'job.deleted', 'job')`),
      ).toBe(RLS_DENIED);
    });
    expect(await expectedOrder(workspaceA, (row) => row.action === "job.deleted")).toEqual([]);
  });

  it("is append-only even for the service role", async () => {
    const result = await withService(db.sql, (tx) =>
      outcome(tx, (sp) => sp`update audit_log set action = 'nothing' where workspace_id = ${workspaceA}`),
    );
    expect(result).toBe(RLS_DENIED);
  });
});

describe("audit entries name their targets", () => {
  it("by a job's title, a run's job, a member's email and a key's name, and a deleted job by what the entry kept", async () => {
    const workspace = (await seedWorkspace(db.sql, owner, "Names")).id;
    const member = await seedUser(db.sql, "named-member");
    await addMember(db.sql, workspace, member, "operator");
    const ids = await withService(db.sql, async (tx) => {
      const [job] = await tx<{ id: string }[]>`insert into jobs (workspace_id, job_key, title) values (${workspace}, 'nightly', 'Nightly backup') returning id`;
      const [run] = await tx<{ id: string }[]>`
        insert into runs (workspace_id, job_id, status, trigger, queued_at) values (${workspace}, ${job!.id}, 'queued', 'manual', now()) returning id`;
      const [key] = await tx<{ id: string }[]>`
        insert into ingest_keys (workspace_id, name, prefix, secret_hash) values (${workspace}, 'Batch server 2', 'jb_named0', 'x') returning id`;
      return { job: job!.id, run: run!.id, key: key!.id };
    });
    await insertEntries(workspace, [
      { actor: owner, action: "job.updated", targetType: "job", targetId: ids.job, at: "2026-11-22T00:00:01Z" },
      { actor: owner, action: "run.manual", targetType: "run", targetId: ids.run, at: "2026-11-22T00:00:02Z" },
      { actor: owner, action: "member.role_changed", targetType: "member", targetId: member.id, at: "2026-11-22T00:00:03Z" },
      { actor: owner, action: "ingest_key.created", targetType: "ingest_key", targetId: ids.key, at: "2026-11-22T00:00:04Z" },
      { actor: owner, action: "job.deleted", targetType: "job", targetId: JOB_2, at: "2026-11-22T00:00:05Z", detail: { title: "Old export", job_key: "old" } },
      { actor: owner, action: "job.updated", targetType: "job", targetId: "not-a-uuid", at: "2026-11-22T00:00:06Z" },
    ]);
    const names = (await asUser(db.sql, owner, (tx) => listAuditEntries(tx, { workspaceId: workspace }))).items
      .map((entry) => [entry.target_type, entry.target_name]);
    expect(names).toEqual([
      // Written when the workspace was made, today: the newest.
      ["workspace", expect.stringMatching(/^Names/)],
      ["job", null],
      ["job", "Old export"],
      ["ingest_key", "Batch server 2"],
      ["member", member.email],
      ["run", "Nightly backup"],
      ["job", "Nightly backup"],
    ]);
  });
});
