import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../integration/support/database";
import { startApp, type AppServer } from "../system/support/app-server";

// Clickjacking (framing the app to trick a click), injected scripts, sniffed content types and
// leaked URLs: every page answers with the headers that refuse them, from the built app.
let db: TestDatabase;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startApp({ databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.close();
});

const directives = (policy: string | null) =>
  new Map((policy ?? "").split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe("security headers", () => {
  it("no page can be framed by another site", async () => {
    for (const path of ["/login", "/signup", "/", "/jobs"]) {
      const response = await fetch(`${app.url}${path}`, { redirect: "manual" });
      expect(directives(response.headers.get("content-security-policy")).get("frame-ancestors"), path).toEqual(["'none'"]);
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("scripts run only with the response's own nonce, which changes on every request", async () => {
    const [first, second] = await Promise.all([fetch(`${app.url}/login`), fetch(`${app.url}/login`)]);
    const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
    const policy = first.headers.get("content-security-policy");
    const nonce = nonceOf(policy);
    expect(nonce).toBeTruthy();
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonce);
    const scriptSrc = directives(policy).get("script-src")!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(directives(policy).get("object-src")).toEqual(["'none'"]);
    // Every script Next writes into the page carries it, so the page still hydrates.
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    await second.body?.cancel();
  });

  it("sends nosniff and a referrer policy; HSTS only over https", async () => {
    const plain = await fetch(`${app.url}/login`);
    expect(plain.headers.get("x-content-type-options")).toBe("nosniff");
    expect(plain.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    const behindTls = await fetch(`${app.url}/login`, { headers: { "x-forwarded-proto": "https" } });
    expect(behindTls.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    await plain.body?.cancel();
    await behindTls.body?.cancel();
  });
});
