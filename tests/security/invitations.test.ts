import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createInvitation } from "@/server/members/invitations";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { asUser, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { startApp, type AppServer } from "../system/support/app-server";
import { formError, launchBrowser, submitSignIn } from "./support/browser";
import { submitSignUp } from "./support/forms";

// Built-in sign-up never proves that an address belongs to whoever types it. If an invitation
// attached whatever account holds the invited address, a stranger who registered that address
// first would be handed the workspace. An invitation is a secret link instead: nothing joins
// until someone holding it signs in as (or creates) exactly the invited address and accepts.
const PASSWORD = "correct horse battery";

let db: TestDatabase;
/** The production default: sign-up is invite-only. */
let app: AppServer;
/** Open sign-up, where anyone may register any address. */
let openApp: AppServer;
let browser: Browser;
let admin: TestUser;
let workspace: { id: string; slug: string };

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await seedUser(db.sql, "admin");
  workspace = await seedWorkspace(db.sql, admin, "Payroll");
  [app, openApp] = await Promise.all([startApp({ databaseUrl: db.url }), startApp({ databaseUrl: db.url, env: { JOBBOARD_SIGNUP: "open" } })]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await openApp?.stop();
  await db?.close();
});

const unique = () => Math.random().toString(36).slice(2, 10);

async function memberRole(email: string): Promise<string | null> {
  const [row] = await db.sql<{ role: string }[]>`
    select m.role from memberships m join auth.users u on u.id = m.user_id
    where m.workspace_id = ${workspace.id} and lower(u.email) = ${email}`;
  return row?.role ?? null;
}

/** The admin invites through the members page; returns the link shown and the action's raw answer. */
async function inviteThroughPage(base: string, email: string, role = "viewer"): Promise<{ link: string; answer: string }> {
  const page = await browser.newPage();
  await submitSignIn(page, base, admin.email, PASSWORD);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.goto(`${base}/settings/members`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  // The action's answer is read on its way to the page, exactly as the server sent it.
  let answer = "";
  await page.route(`${base}/settings/members`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch();
    answer = await response.text();
    await route.fulfill({ response, body: answer });
  });
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const link = (await page.getByTestId("invitation-link").innerText()).trim();
  await page.close();
  return { link, answer };
}

async function openInvitation(page: Page, link: string): Promise<void> {
  await page.goto(link);
}

describe("invitations are pending memberships", () => {
  it("an account registered first with the invited address is not added until its owner signs in and accepts", async () => {
    const victim = `victim-${unique()}@example.test`;
    // Someone registers the victim's address before the admin invites it.
    const squatter = await browser.newContext();
    const squatterPage = await squatter.newPage();
    await submitSignUp(squatterPage, openApp.url, { email: victim, password: "squatter-password", workspaceName: "Squat" });
    await squatterPage.getByRole("heading", { name: "Overview" }).waitFor();

    const { link, answer } = await inviteThroughPage(openApp.url, victim);
    // The admin is handed a link, never a password.
    expect(link).toMatch(new RegExp(`^${openApp.url}/invite/[A-Za-z0-9_-]{43}$`));
    // The action's own result (row 1 of the RSC answer; the rest re-renders the page).
    const result = JSON.parse(answer.split("\n").find((line) => line.startsWith("1:"))!.slice(2)) as Record<string, unknown>;
    expect(result).toEqual({ ok: true, invited: { email: victim, role: "viewer", link, emailed: false } });
    expect(await memberRole(victim)).toBeNull();

    // The account's own session sees nothing of the workspace: no switcher entry, no membership.
    await squatterPage.goto(`${openApp.url}/`);
    await squatterPage.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await squatterPage.content()).not.toContain(workspace.slug);
    expect(await memberRole(victim)).toBeNull();

    // Holding the link without signing in does not let anyone set that account's password.
    const visitor = await browser.newContext();
    const visitorPage = await visitor.newPage();
    await openInvitation(visitorPage, link);
    await visitorPage.getByRole("link", { name: `An account exists for ${victim}: sign in as it to accept` }).waitFor();
    expect(await visitorPage.getByLabel(/Choose a password/).count()).toBe(0);
    expect(await memberRole(victim)).toBeNull();
    await squatter.close();

    // Its owner signs in from the link, comes back to it and accepts: only now does it join.
    await visitorPage.getByRole("link", { name: /sign in as it to accept/ }).click();
    await visitorPage.waitForURL(/\/login\?next=/);
    await visitorPage.getByLabel("Email").fill(victim);
    await visitorPage.getByLabel("Password").fill("squatter-password");
    await visitorPage.getByRole("button", { name: "Sign in" }).click();
    await visitorPage.getByRole("button", { name: "Accept invitation" }).click();
    await visitorPage.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await memberRole(victim)).toBe("viewer");
    await visitor.close();

    const audit = await db.sql<{ action: string }[]>`
      select action from audit_log where workspace_id = ${workspace.id} and target_type = 'invitation' and detail ->> 'email' = ${victim} order by created_at`;
    expect(audit.map((entry) => entry.action)).toEqual(["invitation.created", "invitation.accepted"]);
  });

  it("an existing account of another person is not attached; someone signed in as another address is told it is not theirs", async () => {
    const other = await seedUser(db.sql, "other-person");
    const { link } = await inviteThroughPage(app.url, other.email, "operator");
    expect(await memberRole(other.email)).toBeNull();

    const intruder = await seedUser(db.sql, "intruder");
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitSignIn(page, app.url, intruder.email, PASSWORD);
    await page.waitForURL(/\/welcome$/);
    await openInvitation(page, link);
    await page.getByText(`This invitation is not yours: it is for another email address than ${intruder.email}`).waitFor();
    expect(await page.getByRole("button", { name: "Accept invitation" }).count()).toBe(0);
    await context.close();
    expect(await memberRole(other.email)).toBeNull();
    expect(await memberRole(intruder.email)).toBeNull();
  });

  it("a new person joins through the link on an invite-only server, and the link works once", async () => {
    const email = `newcomer-${unique()}@example.test`;
    const { link } = await inviteThroughPage(app.url, email);
    const first = await browser.newContext();
    const page = await first.newPage();
    await openInvitation(page, link);
    await page.getByRole("heading", { name: /^Join Payroll/ }).waitFor();
    await page.getByLabel("Choose a password (at least 8 characters)").fill("newcomer-password");
    await page.getByRole("button", { name: /^Join Payroll/ }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await memberRole(email)).toBe("viewer");
    await first.close();

    const second = await browser.newContext();
    const again = await second.newPage();
    await openInvitation(again, link);
    expect(await formError(again)).toBe("This invitation has already been used.");
    expect(await again.getByLabel(/Choose a password/).count()).toBe(0);
    await second.close();
    expect(await db.sql`select 1 from auth.users where email = ${email}`).toHaveLength(1);
  });

  it("a link used by someone else while this page was open is refused at submit", async () => {
    const email = `race-${unique()}@example.test`;
    const { link } = await inviteThroughPage(app.url, email);
    const [a, b] = [await browser.newContext(), await browser.newContext()];
    const [pageA, pageB] = [await a.newPage(), await b.newPage()];
    for (const page of [pageA, pageB]) {
      await openInvitation(page, link);
      await page.getByLabel("Choose a password (at least 8 characters)").fill(`password-${unique()}`);
    }
    await pageA.getByRole("button", { name: /^Join Payroll/ }).click();
    await pageA.getByRole("heading", { name: "Overview" }).waitFor();
    await pageB.getByRole("button", { name: /^Join Payroll/ }).click();
    expect(await formError(pageB)).toBe("This invitation has already been used.");
    await a.close();
    await b.close();
    expect(await db.sql`select 1 from auth.users where email = ${email}`).toHaveLength(1);
  });

  it("refuses an expired, a revoked and a made-up token", async () => {
    const expired = await asUser(db.sql, admin, (tx) => createInvitation(tx, { workspaceId: workspace.id, email: `late-${unique()}@example.test`, role: "viewer", actor: { userId: admin.id, email: admin.email } }));
    await db.sql`update invitations set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = ${expired.id}`;

    const revokedEmail = `withdrawn-${unique()}@example.test`;
    const { link: revokedLink } = await inviteThroughPage(app.url, revokedEmail);
    const adminPage = await browser.newPage();
    await submitSignIn(adminPage, app.url, admin.email, PASSWORD);
    await adminPage.getByRole("heading", { name: "Overview" }).waitFor();
    await adminPage.goto(`${app.url}/settings/members`);
    const row = adminPage.locator(`tr[data-invitation="${revokedEmail}"]`);
    await row.getByRole("button", { name: "Revoke" }).click();
    // Asked in the app's own dialog.
    await adminPage.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await row.waitFor({ state: "detached" });
    await adminPage.close();

    const page = await browser.newPage();
    await openInvitation(page, `${app.url}/invite/${expired.token}`);
    expect(await formError(page)).toBe("This invitation has expired. Ask an admin of the workspace for a new one.");
    await openInvitation(page, revokedLink);
    expect(await formError(page)).toBe("This invitation was withdrawn. Ask an admin of the workspace for a new one.");
    await openInvitation(page, `${app.url}/invite/${"A".repeat(43)}`);
    expect(await formError(page)).toBe("This invitation link is not valid. Check that you copied all of it.");
    await page.close();
    expect(await memberRole(revokedEmail)).toBeNull();
    const [revoked] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from audit_log where workspace_id = ${workspace.id} and action = 'invitation.revoked' and detail ->> 'email' = ${revokedEmail}`;
    expect(revoked!.count).toBe(1);
  });
});
