import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { withService } from "@/server/db/transactions";
import { hitRateLimit } from "@/server/rate-limit/limiter";
import { INVITES_PER_WORKSPACE, READ_API_PER_KEY, SIGN_IN_PER_ADDRESS, SIGN_UP_PER_ADDRESS } from "@/server/rate-limit/rules";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedIngestKey, seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { startApp, type AppServer } from "../system/support/app-server";
import { formError, launchBrowser, submitSignIn } from "./support/browser";
import { submitSignUp } from "./support/forms";

// Guessing passwords, flooding the report API or the read API: each is counted in PostgreSQL,
// so that every server instance (serverless ones too) refuses the same attacker.
const REPORT_LIMIT = 5;
const PASSWORD = "correct horse battery";

let db: TestDatabase;
let app: AppServer;
let browser: Browser;
let victim: TestUser;
let workspace: { id: string; slug: string };

beforeAll(async () => {
  db = await createTestDatabase();
  victim = await seedUser(db.sql, "victim");
  workspace = await seedWorkspace(db.sql, victim, "Limits");
  app = await startApp({ databaseUrl: db.url, env: { JOBBOARD_RATE_REPORTS_PER_MINUTE: String(REPORT_LIMIT) } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.close();
});

const retryAfterOf = (message: string) => Number(/try again in (\d+) s/.exec(message)?.[1]);

describe("rate limits", () => {
  it("30 wrong passwords lock the account, and then even the right password waits", async () => {
    const page = await browser.newPage();
    const answers: string[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      await submitSignIn(page, app.url, victim.email, `guess-${attempt}`);
      answers.push(await formError(page));
    }
    expect(answers[0]).toBe("Email or password is incorrect.");
    const refusals = answers.filter((answer) => answer.startsWith("Too many attempts; try again in "));
    expect(refusals.length).toBeGreaterThanOrEqual(19);
    expect(answers.at(-1)).toMatch(/^Too many attempts; try again in \d+ s\.$/);

    await submitSignIn(page, app.url, victim.email, PASSWORD);
    const refusal = page.getByRole("alert").filter({ hasText: "Too many attempts" });
    await refusal.waitFor();
    const seconds = retryAfterOf(await refusal.innerText());
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(page.url()).toMatch(/\/login$/);
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain("jb_session");
    await page.close();
  });

  it("the per-address limit is shared across accounts (guessing many accounts from one address)", async () => {
    const decisions = await withService(db.sql, async (tx) => {
      const out = [];
      for (let i = 0; i <= SIGN_IN_PER_ADDRESS.limit; i++) out.push(await hitRateLimit(tx, SIGN_IN_PER_ADDRESS, "203.0.113.9"));
      return out;
    });
    expect(decisions.slice(0, SIGN_IN_PER_ADDRESS.limit).every((d) => d.allowed)).toBe(true);
    expect(decisions.at(-1)).toMatchObject({ allowed: false });
    expect(decisions.at(-1)!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("a report key that floods the report API gets 429 with Retry-After", async () => {
    const key = await seedIngestKey(db.sql, workspace.id, "report");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < REPORT_LIMIT + 3; i++) {
      const response = await fetch(`${app.url}/api/monitor/job-report`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key.token}` },
        body: JSON.stringify({ job_key: "flood", title: "Flood", status: "success", finished_at: new Date().toISOString() }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get("retry-after");
        expect(((await response.json()) as { error: string }).error).toMatch(/^Too many requests; try again in \d+ s$/);
      } else {
        await response.body?.cancel();
      }
    }
    expect(statuses).toEqual([...Array<number>(REPORT_LIMIT).fill(200), 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    // Another key is not held back by the flood.
    const other = await seedIngestKey(db.sql, workspace.id, "report");
    const response = await fetch(`${app.url}/api/monitor/job-report`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${other.token}` },
      body: JSON.stringify({ job_key: "calm", title: "Calm", status: "success", finished_at: new Date().toISOString() }),
    });
    expect(response.status).toBe(200);
  });

  it("sign-ups from one address are limited (mass account creation)", async () => {
    const page = await browser.newPage();
    // A first attempt (refused: this server is invite-only) opens the address's window; the
    // rest of it is spent in one statement, as that many attempts would.
    await submitSignUp(page, app.url, { email: "mass-0@example.test", password: "a-long-password", workspaceName: "Spam" });
    expect(await formError(page)).toMatch(/^Sign-up is by invitation only/);
    await db.sql`update private.rate_limit_counters set hits = ${SIGN_UP_PER_ADDRESS.limit} where bucket like 'sign-up:address:%'`;
    await submitSignUp(page, app.url, { email: "mass-1@example.test", password: "a-long-password", workspaceName: "Spam" });
    expect(await formError(page)).toMatch(/^Too many attempts; try again in \d+ s\.$/);
    expect(await db.sql`select 1 from auth.users where email = 'mass-1@example.test'`).toHaveLength(0);
    await page.close();
  });

  it("invitations from one workspace are limited", async () => {
    const admin = await seedUser(db.sql, "inviter");
    const team = await seedWorkspace(db.sql, admin, "Invites");
    await db.sql`
      insert into private.rate_limit_counters (bucket, window_start, window_seconds, hits)
      values (${`invite:workspace:${team.id}`}, now(), ${INVITES_PER_WORKSPACE.windowSeconds}, ${INVITES_PER_WORKSPACE.limit})`;
    const page = await browser.newPage();
    await submitSignIn(page, app.url, admin.email, PASSWORD);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.goto(`${app.url}/settings/members`);
    await page.getByLabel("Email").fill("invitee@example.test");
    await page.getByRole("button", { name: "Invite" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "Too many invitations" });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/^Too many invitations; try again in \d+ s\.$/);
    expect(await db.sql`select 1 from auth.users where email = 'invitee@example.test'`).toHaveLength(0);
    expect(await db.sql`select 1 from invitations where email = 'invitee@example.test'`).toHaveLength(0);
    await page.close();
  });

  it("a read key that floods the read API gets 429 with Retry-After", async () => {
    const key = await seedIngestKey(db.sql, workspace.id, "read");
    const get = () => fetch(`${app.url}/api/v1/incidents`, { headers: { authorization: `Bearer ${key.token}` } });
    expect((await get()).status).toBe(200);
    // The rest of the key's minute spent in one statement, as that many requests would.
    await db.sql`update private.rate_limit_counters set hits = ${READ_API_PER_KEY.limit} where bucket like 'read-api:key:%'`;
    // Hits counted elsewhere (another server) reach this one when it next adds its own to the
    // shared count, once a second: within a few seconds the key is refused.
    let response = await get();
    for (const deadline = Date.now() + 5000; response.status === 200 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await get();
    }
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
