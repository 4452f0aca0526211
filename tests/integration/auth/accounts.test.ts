import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, signUp } from "@/server/auth/accounts";
import { AppError } from "@/server/errors";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { asUser } from "../support/fixtures";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe("built-in accounts", () => {
  it("signs up a user as the owner of a new workspace, audited, and signs them in with that password", async () => {
    const { user, workspace } = await signUp(db.sql, {
      email: "Hanako@Example.test",
      password: "s3cret-passw0rd",
      workspaceName: "経理チーム",
    });
    expect(user.email).toBe("hanako@example.test");
    expect(workspace.name).toBe("経理チーム");
    expect(workspace.timezone).toBe("Asia/Tokyo");

    const [membership] = await asUser(db.sql, user, (tx) => tx`select role from memberships where workspace_id = ${workspace.id}`);
    expect(membership!.role).toBe("owner");
    const audit = await asUser(db.sql, user, (tx) => tx`select action, actor_id from audit_log where workspace_id = ${workspace.id}`);
    expect(audit).toEqual([{ action: "workspace.created", actor_id: user.id }]);

    expect(await authenticate(db.sql, "hanako@example.test", "s3cret-passw0rd")).toEqual(user);
    expect(await authenticate(db.sql, "HANAKO@example.test", "s3cret-passw0rd")).toEqual(user);
  });

  it("refuses a wrong password and an unknown email alike", async () => {
    await signUp(db.sql, { email: "taro@example.test", password: "right-password", workspaceName: "Ops" });
    expect(await authenticate(db.sql, "taro@example.test", "wrong-password")).toBeNull();
    expect(await authenticate(db.sql, "nobody@example.test", "right-password")).toBeNull();
  });

  it("refuses a second account with the same email and leaves nothing behind", async () => {
    await signUp(db.sql, { email: "dup@example.test", password: "first-password", workspaceName: "First" });
    const [{ count: before }] = (await db.sql`select count(*)::int as count from workspaces`) as unknown as [{ count: number }];

    const attempt = signUp(db.sql, { email: "DUP@example.test", password: "second-password", workspaceName: "Second" });
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "conflict", field: "email" });

    const [{ count: after }] = (await db.sql`select count(*)::int as count from workspaces`) as unknown as [{ count: number }];
    expect(after).toBe(before);
    expect(await authenticate(db.sql, "dup@example.test", "second-password")).toBeNull();
  });

  it("gives a second workspace with the same name its own slug", async () => {
    const first = await signUp(db.sql, { email: "a@example.test", password: "password-a", workspaceName: "Data Team" });
    const second = await signUp(db.sql, { email: "b@example.test", password: "password-b", workspaceName: "Data Team" });
    expect(first.workspace.slug).toBe("data-team");
    expect(second.workspace.slug).toMatch(/^data-team-[0-9a-f]{6}$/);
  });
});
