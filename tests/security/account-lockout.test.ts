import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { SIGN_IN_SLOWDOWN, admitSignIn, recordSignInFailure, recordSignInSuccess, signInAttempt, slowdownSeconds } from "@/server/auth/sign-in-limits";
import { withService } from "@/server/db/transactions";
import { SIGN_IN_PER_ACCOUNT_AND_ADDRESS } from "@/server/rate-limit/rules";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { seedUser, type TestUser } from "../integration/support/fixtures";
import { startApp, type AppServer } from "../system/support/app-server";
import { formError, launchBrowser, submitSignIn } from "./support/browser";

// Wrong passwords for someone else's email, from many addresses, slow that account down for
// new addresses but never lock its owner out of the address they sign in from.
const PASSWORD = "correct horse battery";
const USUAL = "198.51.100.7";

let db: TestDatabase;
let app: AppServer;
let browser: Browser;
let victim: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  victim = await seedUser(db.sql, "victim");
  // Behind one proxy, so that the test can play many clients, as the attack had them.
  app = await startApp({ databaseUrl: db.url, env: { JOBBOARD_TRUSTED_PROXY_HOPS: "1" } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.close();
});

async function signInFrom(address: string, password: string): Promise<{ page: Page; answer: string | null }> {
  const page = await browser.newPage();
  await page.setExtraHTTPHeaders({ "x-forwarded-for": address });
  await submitSignIn(page, app.url, victim.email, password);
  await page.waitForLoadState();
  const signedIn = (await page.context().cookies()).some((cookie) => cookie.name === "jb_session");
  return { page, answer: signedIn ? null : await formError(page) };
}

const seconds = (answer: string | null) => Number(/try again in (\d+) s/.exec(answer ?? "")?.[1] ?? NaN);

describe("an account under guessing", () => {
  it("is slowed for new addresses, while its owner still signs in from their usual address", async () => {
    const usual = await signInFrom(USUAL, PASSWORD);
    expect(usual.answer).toBeNull();
    await usual.page.close();

    const answers: Array<string | null> = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const guess = await signInFrom(`203.0.113.${attempt + 1}`, `guess-${attempt}`);
      answers.push(guess.answer);
      await guess.page.close();
    }
    expect(answers.slice(0, SIGN_IN_SLOWDOWN.freeFailures)).toEqual(Array(SIGN_IN_SLOWDOWN.freeFailures).fill("Email or password is incorrect."));
    for (const answer of answers.slice(SIGN_IN_SLOWDOWN.freeFailures)) {
      expect(answer === "Email or password is incorrect." || /^Too many attempts; try again in \d+ s\.$/.test(answer ?? "")).toBe(true);
    }
    // The rest of a longer attack in one statement, as that many guesses spread over the delays would leave it.
    const updated = await db.sql`update private.sign_in_slowdowns set failures = 12, last_failure_at = now()`;
    expect(updated.count).toBe(1);
    expect(slowdownSeconds(7)).toBeGreaterThan(slowdownSeconds(6));
    expect(slowdownSeconds(100)).toBe(SIGN_IN_SLOWDOWN.maxDelaySeconds);

    // A new address waits, even with the right password: slowed, not locked for a quarter hour.
    const stranger = await signInFrom("203.0.113.200", PASSWORD);
    expect(stranger.answer).toMatch(/^Too many attempts; try again in \d+ s\.$/);
    expect(seconds(stranger.answer)).toBeLessThanOrEqual(SIGN_IN_SLOWDOWN.maxDelaySeconds);
    await stranger.page.close();

    const owner = await signInFrom(USUAL, PASSWORD);
    expect(owner.answer).toBeNull();
    await owner.page.waitForURL((url) => !url.pathname.endsWith("/login"));
    await owner.page.close();
  });

  it("counts the hard limit per account and address: a guesser elsewhere holds back neither the owner nor other accounts", async () => {
    const owner = await seedUser(db.sql, "owner");
    const other = await seedUser(db.sql, "other");
    const admitted = await withService(db.sql, async (tx) => {
      await recordSignInSuccess(tx, signInAttempt(owner.email, "192.0.2.10"));
      const guesser = signInAttempt(owner.email, "192.0.2.66");
      for (let i = 0; i < SIGN_IN_PER_ACCOUNT_AND_ADDRESS.limit; i++) {
        await admitSignIn(tx, guesser);
        await recordSignInFailure(tx, guesser);
      }
      return {
        guesser: await admitSignIn(tx, guesser),
        owner: await admitSignIn(tx, signInAttempt(owner.email, "192.0.2.10")),
        stranger: await admitSignIn(tx, signInAttempt(owner.email, "192.0.2.77")),
        otherAccount: await admitSignIn(tx, signInAttempt(other.email, "192.0.2.77")),
      };
    });
    expect(admitted.guesser).toBeGreaterThan(0);
    expect(admitted.owner).toBe(0);
    expect(admitted.stranger).toBeGreaterThan(0);
    expect(admitted.stranger).toBeLessThanOrEqual(SIGN_IN_SLOWDOWN.maxDelaySeconds);
    expect(admitted.otherAccount).toBe(0);
  });
});
