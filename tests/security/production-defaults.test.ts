import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEMO_PASSWORD, DEMO_USERS } from "@/server/demo/seed";
import { startApp, type AppServer } from "../system/support/app-server";
import { formError, launchBrowser, submitSignIn } from "./support/browser";
import { submitSignUp } from "./support/forms";

// A production server on the embedded database, as `next start` on a fresh checkout runs it:
// the demo login is public knowledge, so it must not exist there, and strangers must not be
// able to create accounts once the first owner has.
let dataDir: string;
let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "jobboard-prod-"));
  app = await startApp({ env: { JOBBOARD_DATA_DIR: dataDir } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("production defaults on the embedded database", () => {
  it("does not seed the public demo login, nor advertise it", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/login`);
    expect(await page.getByRole("complementary", { name: "Demo login" }).count()).toBe(0);
    await submitSignIn(page, app.url, DEMO_USERS.owner, DEMO_PASSWORD);
    expect(await formError(page)).toBe("Email or password is incorrect.");
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain("jb_session");
    expect(app.output()).not.toContain(DEMO_PASSWORD);
    await page.close();
  });

  it("lets the first person sign up as owner, then refuses strangers (invite mode)", async () => {
    const first = await browser.newContext();
    const owner = await first.newPage();
    await submitSignUp(owner, app.url, { email: "first-owner@example.test", password: "a-long-password", workspaceName: "Ops" });
    await owner.getByRole("heading", { name: "Overview" }).waitFor();
    await first.close();

    const second = await browser.newContext();
    const stranger = await second.newPage();
    await submitSignUp(stranger, app.url, { email: "stranger@example.test", password: "a-long-password", workspaceName: "Mine" });
    expect(await formError(stranger)).toBe("Sign-up is by invitation only here: ask an admin of your workspace to invite you.");
    expect((await second.cookies()).map((cookie) => cookie.name)).not.toContain("jb_session");
    await submitSignIn(stranger, app.url, "stranger@example.test", "a-long-password");
    expect(await formError(stranger)).toBe("Email or password is incorrect.");
    await second.close();
  });

  it("refuses to start with INNGEST_DEV=1 unless explicitly allowed", async () => {
    const otherDir = await mkdtemp(path.join(tmpdir(), "jobboard-prod-"));
    try {
      const refused = await startApp({ env: { JOBBOARD_DATA_DIR: otherDir, INNGEST_DEV: "1" } }).then(
        async (server) => {
          await server.stop();
          return "started";
        },
        (error: unknown) => String(error),
      );
      expect(refused).toContain("INNGEST_DEV=1 is refused in production");
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
