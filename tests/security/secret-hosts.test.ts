import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withService } from "@/server/db/transactions";
import { setHttpSecret } from "@/server/secrets/http-secrets";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { addMember, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";

// An admin talking to the database directly (as Supabase's PostgREST lets them) must not move
// a secret to a host of their own without replacing its value: they would read it there.
const PERMISSION_DENIED = "42501";

let db: TestDatabase;
let admin: TestUser, operator: TestUser;
let workspaceId: string;

async function secretRow(name: string) {
  const [row] = await withService(db.sql, (tx) => tx<{ value: string; allowed_hosts: string[] }[]>`
    select value, allowed_hosts from workspace_http_secrets where workspace_id = ${workspaceId} and name = ${name}`);
  return row!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  admin = await seedUser(db.sql, "admin");
  operator = await seedUser(db.sql, "operator");
  workspaceId = (await seedWorkspace(db.sql, owner, "Secrets")).id;
  await addMember(db.sql, workspaceId, admin, "admin");
  await addMember(db.sql, workspaceId, operator, "operator");
  await withService(db.sql, (tx) => tx`
    insert into workspace_http_secrets (workspace_id, name, value, allowed_hosts)
    values (${workspaceId}, 'API_TOKEN', 'the-real-token', '{api.example.test}')`);
});

afterAll(async () => {
  await db?.close();
});

describe("an HTTP secret's hosts", () => {
  it("refuses an admin moving the hosts without a new value, alone or with other columns", async () => {
    await asUser(db.sql, admin, async (tx) => {
      expect(await outcome(tx, (sp) => sp`
        update workspace_http_secrets set allowed_hosts = '{attacker.example.test}'
        where workspace_id = ${workspaceId} and name = 'API_TOKEN'`)).toBe(PERMISSION_DENIED);
      expect(await outcome(tx, (sp) => sp`
        update workspace_http_secrets set allowed_hosts = '{attacker.example.test}', updated_by = ${admin.id}
        where workspace_id = ${workspaceId} and name = 'API_TOKEN'`)).toBe(PERMISSION_DENIED);
      // Copying the old value into the new statement needs to read it, which nobody signed in may.
      expect(await outcome(tx, (sp) => sp`
        update workspace_http_secrets set allowed_hosts = '{attacker.example.test}', value = value
        where workspace_id = ${workspaceId} and name = 'API_TOKEN'`)).toBe(PERMISSION_DENIED);
    });
    expect(await secretRow("API_TOKEN")).toEqual({ value: "the-real-token", allowed_hosts: ["api.example.test"] });
  });

  it("moves the hosts when the value is replaced in the same call, and only for admins", async () => {
    expect(await asUser(db.sql, operator, (tx) => outcome(tx, (sp) => sp`
      select public.replace_http_secret(${workspaceId}, 'API_TOKEN', 'operator-token', '{attacker.example.test}')`)))
      .toBe(PERMISSION_DENIED);
    expect(await secretRow("API_TOKEN")).toEqual({ value: "the-real-token", allowed_hosts: ["api.example.test"] });

    await asUser(db.sql, admin, (tx) =>
      setHttpSecret(tx, {
        workspaceId, name: "API_TOKEN", value: "a-new-token", allowedHosts: ["new.example.test"],
        actor: { userId: admin.id, email: admin.email },
      }));
    expect(await secretRow("API_TOKEN")).toEqual({ value: "a-new-token", allowed_hosts: ["new.example.test"] });
  });

  it("still lets an admin replace the value alone, keeping the hosts", async () => {
    await asUser(db.sql, admin, async (tx) => {
      expect(await outcome(tx, (sp) => sp`
        update workspace_http_secrets set value = 'rotated' where workspace_id = ${workspaceId} and name = 'API_TOKEN'`)).toBe("ok");
    });
    expect((await secretRow("API_TOKEN")).value).toBe("rotated");
  });
});
