import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { SIGN_IN_PER_ADDRESS } from "@/server/rate-limit/rules";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedUser, type TestUser } from "../integration/support/fixtures";
import { startApp, type AppServer } from "../system/support/app-server";
import { formError, launchBrowser, submitSignIn } from "./support/browser";
import { submitSignUp } from "./support/forms";

// Per-address limits key on the address the server can vouch for: the socket's, or what a
// configured proxy in front says. A client's own X-Forwarded-For resets nothing.
let db: TestDatabase;
let direct: AppServer, proxied: AppServer;
let browser: Browser;
let victim: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  victim = await seedUser(db.sql, "victim");
  [direct, proxied] = await Promise.all([
    startApp({ databaseUrl: db.url }),
    startApp({ databaseUrl: db.url, env: { JOBBOARD_TRUSTED_PROXY_HOPS: "1" } }),
  ]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([direct?.stop(), proxied?.stop()]);
  await db?.close();
});

async function pageFrom(forwardedFor: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ "x-forwarded-for": forwardedFor });
  return page;
}

const addressBuckets = async (rule: string) =>
  (await db.sql<{ bucket: string }[]>`select bucket from private.rate_limit_counters where bucket like ${`${rule}:%`}`).map((row) => row.bucket);

describe("the client's address", () => {
  it("comes from the socket: a new X-Forwarded-For on every guess does not reset the sign-in limit", async () => {
    const first = await pageFrom("203.0.113.1");
    await submitSignIn(first, direct.url, victim.email, "guess-1");
    expect(await formError(first)).toBe("Email or password is incorrect.");
    await first.close();
    expect(await addressBuckets("sign-in:address")).toEqual(["sign-in:address:127.0.0.1"]);
    // The rest of the address's allowance spent in one statement, as that many guesses would.
    await db.sql`update private.rate_limit_counters set hits = ${SIGN_IN_PER_ADDRESS.limit} where bucket = 'sign-in:address:127.0.0.1'`;

    const next = await pageFrom("203.0.113.2");
    await submitSignIn(next, direct.url, `someone-else-${victim.email}`, "guess-2");
    expect(await formError(next)).toMatch(/^Too many attempts; try again in \d+ s\.$/);
    await next.close();
  });

  it("keys sign-up on the socket's address, not on what the client wrote", async () => {
    const page = await pageFrom("203.0.113.99");
    await submitSignUp(page, direct.url, { email: "spoof@example.test", password: "a-long-password", workspaceName: "Spoof" });
    await page.close();
    const buckets = await addressBuckets("sign-up:address");
    expect(buckets).toContain("sign-up:address:127.0.0.1");
    expect(buckets.some((bucket) => bucket.includes("203.0.113.99"))).toBe(false);
  });

  it("behind a configured proxy, takes the address that proxy appended, not the ones before it", async () => {
    const page = await pageFrom("203.0.113.250, 198.51.100.20");
    await submitSignUp(page, proxied.url, { email: "proxied@example.test", password: "a-long-password", workspaceName: "Proxied" });
    await page.close();
    const buckets = await addressBuckets("sign-up:address");
    expect(buckets).toContain("sign-up:address:198.51.100.20");
    expect(buckets.some((bucket) => bucket.includes("203.0.113.250"))).toBe(false);
  });
});
