import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Locale } from "@/lib/i18n/messages";
import { scopedAction, type ActionScope, type Revalidation } from "@/server/auth/workspace-action";
import { withService } from "@/server/db/transactions";
import { cancelRun } from "@/server/runs/service";
import { listMyWorkspaces } from "@/server/workspaces/queries";
import type { Role } from "@/server/workspaces/roles";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { asUser, seedTeam, type TestUser } from "../support/fixtures";

// The action builder in a scope of the test's making: the signed-in user's transactions run
// under real RLS, as getAppContext's do; what Next's request would revalidate or redirect is kept.

let db: TestDatabase;
let workspaceId: string;
let users: Record<Role, TestUser>;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ workspaceId, users } = await seedTeam(db.sql, "Actions"));
});

afterAll(async () => {
  await db?.close();
});

type Recorded = { revalidated: Revalidation[]; redirectedTo: string[] };

function scopeFor(user: TestUser, locale: Locale = "en"): ActionScope & Recorded {
  const recorded: Recorded = { revalidated: [], redirectedTo: [] };
  return {
    ...recorded,
    context: async () => {
      const workspaces = await asUser(db.sql, user, listMyWorkspaces);
      const workspace = workspaces.find((w) => w.id === workspaceId)!;
      return { user, workspace, db: (fn) => asUser(db.sql, user, fn) };
    },
    locale: async () => locale,
    revalidate: (target) => void recorded.revalidated.push(target),
    redirect: (path) => {
      recorded.redirectedTo.push(path);
      throw Object.assign(new Error("NEXT_REDIRECT"), { digest: `NEXT_REDIRECT;replace;${path};307;` });
    },
  };
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

async function queuedRun(): Promise<string> {
  return withService(db.sql, async (tx) => {
    const [job] = await tx<{ id: string }[]>`
      insert into jobs (workspace_id, job_key, title, kind, task_name)
      values (${workspaceId}, ${`job-${crypto.randomUUID()}`}, 'Nightly export', 'task', 'fail-on-demand') returning id`;
    const [run] = await tx<{ id: string }[]>`
      insert into runs (workspace_id, job_id, status, trigger) values (${workspaceId}, ${job!.id}, 'queued', 'manual') returning id`;
    return run!.id;
  });
}

const runStatus = async (runId: string) =>
  (await withService(db.sql, (tx) => tx<{ status: string }[]>`select status from runs where id = ${runId}`))[0]!.status;

const cancelSchema = z.object({ runId: z.uuid("Unknown run.") });

function cancelAction(scope: ActionScope, role: Role = "operator") {
  return scopedAction(
    scope,
    { role, refusal: "runs.cancelRefused", schema: cancelSchema, revalidate: (input) => [`/runs/${input.runId}`] },
    async (input, { workspace, actor, db: inWorkspace }) => {
      await inWorkspace((tx) => cancelRun(tx, { workspaceId: workspace.id, runId: input.runId, actor }));
      return { ok: true };
    },
  );
}

describe("workspaceAction", () => {
  it("refuses a role below the minimum before it reads the form", async () => {
    let parsed = false;
    const scope = scopeFor(users.viewer);
    const watched = z.object({ runId: z.string() }).transform((input) => ((parsed = true), input));
    const action = scopedAction(scope, { role: "operator", refusal: "runs.cancelRefused", schema: watched }, async () => ({ ok: true }));
    expect(await action({}, form({ runId: "x" }))).toEqual({ error: "Only operators and admins can cancel runs." });
    expect(parsed).toBe(false);
    expect(scope.revalidated).toEqual([]);
  });

  it("lets the role through, writes under RLS, audits as the actor and revalidates", async () => {
    const runId = await queuedRun();
    const scope = scopeFor(users.operator);
    expect(await cancelAction(scope)({}, form({ runId }))).toEqual({ ok: true });
    expect(await runStatus(runId)).toBe("canceled");
    expect(scope.revalidated).toEqual([`/runs/${runId}`]);
    const [entry] = await withService(db.sql, (tx) => tx<{ actor_id: string; actor_label: string }[]>`
      select actor_id, actor_label from audit_log where target_id = ${runId} and action = 'run.canceled'`);
    expect(entry).toEqual({ actor_id: users.operator.id, actor_label: users.operator.email });
  });

  it("answers bad input field by field, without running the body", async () => {
    const scope = scopeFor(users.operator);
    expect(await cancelAction(scope)({}, form({ runId: "not-a-run" }))).toEqual({
      error: "Please correct the highlighted fields.",
      fieldErrors: { runId: "Unknown run." },
    });
    expect(scope.revalidated).toEqual([]);
  });

  it("turns the database's refusal into the action's refusal, and does not revalidate", async () => {
    // The builder's minimum is set too low on purpose: RLS still refuses a viewer's cancel.
    const runId = await queuedRun();
    const scope = scopeFor(users.viewer);
    const answer = await cancelAction(scope, "viewer")({}, form({ runId }));
    expect(answer.error).toBe("Only operators and admins can cancel runs.");
    expect(await runStatus(runId)).toBe("queued");
    expect(scope.revalidated).toEqual([]);
  });

  it("answers an AppError with its message in the reader's language", async () => {
    const runId = await queuedRun();
    await cancelAction(scopeFor(users.operator))({}, form({ runId }));
    const again = await cancelAction(scopeFor(users.operator, "ja"))({}, form({ runId }));
    expect(again.error).toBe("この実行はすでに取り消されています。");
    const refused = await cancelAction(scopeFor(users.viewer, "ja"))({}, form({ runId }));
    expect(refused).toEqual({ error: "実行を取り消せるのはオペレーターと管理者だけです。" });
  });

  it("hides what it did not expect behind a generic message", async () => {
    const scope = scopeFor(users.admin);
    const action = scopedAction(scope, { role: "viewer", refusal: "jobs.editRefused", schema: z.object({}) }, async (_, { db: inWorkspace }) => {
      await inWorkspace((tx) => tx`select * from table_that_is_not_there`);
      return { ok: true };
    });
    const answer = await action({}, form({}));
    expect(answer).toEqual({ error: "Something went wrong on our side. Please try again." });
    expect(JSON.stringify(answer)).not.toMatch(/table_that_is_not_there/);
  });

  it("revalidates, then redirects, only once the body succeeded", async () => {
    const scope = scopeFor(users.owner);
    const action = scopedAction(
      scope,
      { role: "admin", refusal: "jobs.editRefused", schema: z.object({ go: z.enum(["yes", "no"]) }), revalidate: () => [{ layout: "/" }], redirectTo: () => "/jobs" },
      async (input) => (input.go === "yes" ? { ok: true } : { error: "Stayed." }),
    );
    expect(await action({}, form({ go: "no" }))).toEqual({ error: "Stayed." });
    expect(scope.redirectedTo).toEqual([]);
    await expect(action({}, form({ go: "yes" }))).rejects.toThrow("NEXT_REDIRECT");
    expect(scope.revalidated).toEqual([{ layout: "/" }]);
    expect(scope.redirectedTo).toEqual(["/jobs"]);
  });
});
