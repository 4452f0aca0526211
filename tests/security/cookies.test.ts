import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Cookie } from "playwright-core";
import { localPathOf } from "@/lib/local-path";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedUser, seedWorkspace, type TestUser } from "../integration/support/fixtures";
import { startApp, type AppServer } from "../system/support/app-server";
import { launchBrowser, submitSignIn } from "./support/browser";

// Cookies a production server sets: never over plain http to a network attacker, never to
// scripts (an XSS could otherwise read the workspace choice or session), never cross-site.
// And the language switcher must not become an open redirect to another site.
let db: TestDatabase;
let app: AppServer;
let browser: Browser;
let user: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  // No workspace yet: signing in leads to the page that creates one and sets the workspace cookie.
  user = await seedUser(db.sql, "newcomer");
  app = await startApp({ databaseUrl: db.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.close();
});

const pick = ({ name, secure, httpOnly, sameSite }: Cookie) => ({ name, secure, httpOnly, sameSite });

describe("cookies of a production server", () => {
  it("the session and workspace cookies are Secure, HttpOnly and SameSite=Lax", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitSignIn(page, app.url, user.email, "correct horse battery");
    await page.waitForURL(/\/welcome$/);
    await page.getByLabel("Workspace name").fill("Cookie jar");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();

    const cookies = Object.fromEntries((await context.cookies()).map((cookie) => [cookie.name, pick(cookie)]));
    expect(cookies.jb_session).toEqual({ name: "jb_session", secure: true, httpOnly: true, sameSite: "Lax" });
    expect(cookies.jb_workspace).toEqual({ name: "jb_workspace", secure: true, httpOnly: true, sameSite: "Lax" });
    await context.close();
  });

  it("the language switcher redirects only within the site, whatever the Referer says", async () => {
    const owner = await seedUser(db.sql, "switcher");
    await seedWorkspace(db.sql, owner, "Languages");
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitSignIn(page, app.url, owner.email, "correct horse battery");
    await page.getByRole("heading", { name: "Overview" }).waitFor();

    // The attacker's page links here with a Referer whose path starts with two slashes.
    await page.route("**/*", (route) =>
      route.request().method() === "POST"
        ? route.continue({ headers: { ...route.request().headers(), referer: `${app.url}//evil.example/phish` } })
        : route.continue(),
    );
    const answered = page.waitForResponse((response) => response.request().method() === "POST");
    await page.getByLabel(/language/i).selectOption("ja");
    const response = await answered;
    expect(response.headers()["x-action-redirect"]?.split(";")[0]).toBe("/");
    await page.waitForLoadState("networkidle");
    expect(new URL(page.url()).host).toBe(new URL(app.url).host);
    const locale = (await context.cookies()).find((cookie) => cookie.name === "jb_locale");
    expect(locale && pick(locale)).toMatchObject({ secure: true, sameSite: "Lax" });
    await context.close();
  });

  it("accepts only a single leading slash as a local path", () => {
    expect(localPathOf("http://127.0.0.1:3000/jobs?tag=a")).toBe("/jobs?tag=a");
    expect(localPathOf("https://evil.example/jobs")).toBe("/jobs");
    for (const hostile of [
      "http://127.0.0.1:3000//evil.example/x",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      null,
      "",
    ]) {
      expect(localPathOf(hostile), String(hostile)).toMatch(/^\/(?![/\\])/);
      expect(localPathOf(hostile), String(hostile)).not.toContain("evil.example");
    }
  });
});
