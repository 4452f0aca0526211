import { describe, expect, it } from "vitest";
import { SESSION_TTL_SECONDS, createSessionToken, verifySessionToken } from "@/server/auth/session-token";

const secret = "a".repeat(40);
const user = { id: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", email: "hanako@example.test" };

describe("session tokens", () => {
  it("round-trips the user it was issued for", async () => {
    const token = await createSessionToken(user, secret);
    expect(await verifySessionToken(token, secret)).toEqual(user);
  });

  it("rejects a token signed with another secret", async () => {
    const token = await createSessionToken(user, "b".repeat(40));
    expect(await verifySessionToken(token, secret)).toBeNull();
  });

  it("rejects a token whose payload was altered", async () => {
    const [header, , signature] = (await createSessionToken(user, secret)).split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "someone-else", email: "x@example.test" })).toString("base64url");
    expect(await verifySessionToken(`${header}.${forged}.${signature}`, secret)).toBeNull();
  });

  it("rejects an expired token and garbage", async () => {
    const issued = new Date("2026-01-01T00:00:00Z");
    const token = await createSessionToken(user, secret, issued);
    const justBefore = new Date(issued.getTime() + (SESSION_TTL_SECONDS - 60) * 1000);
    const after = new Date(issued.getTime() + (SESSION_TTL_SECONDS + 60) * 1000);
    expect(await verifySessionToken(token, secret, justBefore)).toEqual(user);
    expect(await verifySessionToken(token, secret, after)).toBeNull();
    expect(await verifySessionToken("not-a-token", secret)).toBeNull();
  });
});
