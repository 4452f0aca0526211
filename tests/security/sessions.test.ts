import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { changePassword } from "@/server/auth/accounts";
import { createSessionToken } from "@/server/auth/session-token";
import { removeMember } from "@/server/members/service";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import type { Tx } from "@/server/db/transactions";
import { addMember, asAnon, asUser, outcome, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { APP_AUTH_SECRET, startApp, type AppServer } from "../system/support/app-server";
import { launchBrowser, submitSignIn } from "./support/browser";

// A session cookie copied off a machine (a shared computer, a leaked HAR file, malware) must
// stop working when the session it belongs to ends, not when the cookie would have expired.
let db: TestDatabase;
let app: AppServer;
let browser: Browser;
let owner: TestUser;
let workspace: { id: string; slug: string };

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await seedUser(db.sql, "owner");
  workspace = await seedWorkspace(db.sql, owner, "Sessions");
  app = await startApp({ databaseUrl: db.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.close();
});

/** Replays a stolen cookie the way an attacker would: a bare request carrying only it. */
async function replay(cookie: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(`${app.url}/`, { headers: { cookie: `jb_session=${cookie}` }, redirect: "manual" });
  return { status: response.status, location: response.headers.get("location") };
}

const signedIn = { status: 200, location: null };
const sentToSignIn = { status: 307, location: "/login" };

function normalise(answer: { status: number; location: string | null }) {
  return { status: answer.status, location: answer.location ? new URL(answer.location, app.url).pathname : null };
}

describe("built-in sessions are revocable", () => {
  it("a session cookie copied before sign-out is refused after it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitSignIn(page, app.url, owner.email, "correct horse battery");
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    const stolen = (await context.cookies()).find((cookie) => cookie.name === "jb_session")!.value;
    expect(normalise(await replay(stolen))).toEqual(signedIn);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);
    expect(normalise(await replay(stolen))).toEqual(sentToSignIn);
    await context.close();
  });

  it("a password change ends the sessions opened with the old password", async () => {
    const user = await seedUser(db.sql, "changer");
    await addMember(db.sql, workspace.id, user, "viewer");
    const stolen = await createSessionToken(user, APP_AUTH_SECRET);
    expect(normalise(await replay(stolen))).toEqual(signedIn);

    expect(await changePassword(db.sql, user, "correct horse battery", "a brand new passphrase")).toBe(true);
    expect(normalise(await replay(stolen))).toEqual(sentToSignIn);
  });

  it("removal from a workspace ends the removed member's sessions", async () => {
    const member = await seedUser(db.sql, "removed");
    await addMember(db.sql, workspace.id, member, "operator");
    const stolen = await createSessionToken(member, APP_AUTH_SECRET);
    expect(normalise(await replay(stolen))).toEqual(signedIn);

    await asUser(db.sql, owner, (tx) =>
      removeMember(tx, { workspaceId: workspace.id, userId: member.id, actor: { userId: owner.id, email: owner.email } }),
    );
    expect(normalise(await replay(stolen))).toEqual(sentToSignIn);
  });

  it("deleting an account still works: its memberships go with it, with nothing left to revoke", async () => {
    const member = await seedUser(db.sql, "deleted");
    await addMember(db.sql, workspace.id, member, "viewer");
    await db.sql`delete from auth.users where id = ${member.id}`;
    expect(await db.sql`select 1 from private.session_versions where user_id = ${member.id}`).toHaveLength(0);
  });

  it("deleting a whole workspace does not sign its owner out of their other workspaces", async () => {
    const busy = await seedUser(db.sql, "busy-owner");
    await seedWorkspace(db.sql, busy, "Kept");
    const doomed = await seedWorkspace(db.sql, busy, "Doomed");
    const cookie = await createSessionToken(busy, APP_AUTH_SECRET);
    await db.sql`delete from workspaces where id = ${doomed.id}`;
    expect(normalise(await replay(cookie))).toEqual(signedIn);
  });

  it("a member cannot read or reset session versions through the database API", async () => {
    const user = await seedUser(db.sql, "tamperer");
    await addMember(db.sql, workspace.id, user, "admin");
    for (const statement of [
      (sp: Tx) => sp`select version from private.session_versions`,
      (sp: Tx) => sp`update private.session_versions set version = 0`,
      (sp: Tx) => sp`delete from private.rate_limit_counters`,
      (sp: Tx) => sp`select private.bump_session_version_of_removed_member()`,
    ]) {
      expect(await asUser(db.sql, user, (tx) => outcome(tx, statement))).toBe("42501");
      expect(await asAnon(db.sql, (tx) => outcome(tx, statement))).toBe("42501");
    }
  });

  it("a forged session version is refused", async () => {
    const user = await seedUser(db.sql, "forger");
    await addMember(db.sql, workspace.id, user, "viewer");
    // Guessing ahead of the server's version does not work either: versions must match.
    const ahead = await createSessionToken({ ...user, sessionVersion: 7 }, APP_AUTH_SECRET);
    expect(normalise(await replay(ahead))).toEqual(sentToSignIn);
  });
});
