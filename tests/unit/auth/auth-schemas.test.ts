import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/action-state";
import { signInSchema, signUpSchema } from "@/server/auth/schemas";

describe("sign-in and sign-up input", () => {
  it("normalises the email and names each bad field", () => {
    expect(signInSchema.parse({ email: "  Hanako@Example.TEST ", password: "x" }).email).toBe("hanako@example.test");

    const result = signUpSchema.safeParse({ email: "not-an-email", password: "short", workspaceName: "  " });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!).fieldErrors).toEqual({
      email: "Enter a valid email address.",
      password: "Use at least 8 characters.",
      workspaceName: "Name your workspace.",
    });
  });

  it("refuses passwords bcrypt would silently cut at 72 bytes, counting bytes not characters", () => {
    // 24 three-byte characters are 72 bytes: allowed. 25 are 75: refused.
    const ok = signUpSchema.safeParse({ email: "a@example.test", password: "あ".repeat(24), workspaceName: "W" });
    const tooLong = signUpSchema.safeParse({ email: "a@example.test", password: "あ".repeat(25), workspaceName: "W" });
    expect(ok.success).toBe(true);
    expect(tooLong.success).toBe(false);
    expect(tooLong.error!.issues[0]!.path).toEqual(["password"]);
  });
});
