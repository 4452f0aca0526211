import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freePort, startApp, type AppServer } from "../system/support/app-server";
import { formError, launchBrowser, submitSignIn } from "./support/browser";

// Sign-in with Supabase Auth configured. The hosted service cannot run here: a stand-in answers
// its token endpoint as it does for a wrong password (400) or an outage (503), and a port
// nobody listens on plays a service that cannot be reached at all.
let dataDir: string;
let browser: Browser;
let standIn: Server;
let standInAnswer: 400 | 503 = 400;
const apps: AppServer[] = [];

async function appAgainst(supabaseUrl: string): Promise<AppServer> {
  const app = await startApp({
    env: {
      JOBBOARD_DATA_DIR: dataDir,
      NEXT_PUBLIC_SUPABASE_URL: supabaseUrl,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-for-the-stand-in-0123456789",
    },
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "jobboard-supabase-"));
  browser = await launchBrowser();
  standIn = createServer((request, response) => {
    request.resume();
    const body = standInAnswer === 400
      ? { code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" }
      : { code: 503, msg: "upstream connect error" };
    response.writeHead(standInAnswer, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => standIn.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await browser?.close();
  await new Promise((resolve) => standIn?.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe("signing in through Supabase Auth", () => {
  it("says a wrong password is wrong, and an outage is an outage", async () => {
    const app = await appAgainst(`http://127.0.0.1:${(standIn.address() as { port: number }).port}`);
    const page = await browser.newPage();
    standInAnswer = 400;
    await submitSignIn(page, app.url, "someone@example.test", "not-the-password");
    expect(await formError(page)).toBe("Email or password is incorrect.");
    standInAnswer = 503;
    await page.reload();
    await submitSignIn(page, app.url, "someone@example.test", "not-the-password");
    expect(await formError(page)).toBe("The sign-in service cannot be reached right now. Please try again in a moment.");
    await page.close();
    await app.stop();
  });

  it("says the service cannot be reached when nothing answers at its address", async () => {
    const app = await appAgainst(`http://127.0.0.1:${await freePort()}`);
    const page = await browser.newPage();
    await submitSignIn(page, app.url, "someone@example.test", "a-password");
    expect(await formError(page)).toBe("The sign-in service cannot be reached right now. Please try again in a moment.");
    await page.close();
  });
});
