import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { findChromium, NO_BROWSER_HINT } from "../../support/browser-path";

const PLAYWRIGHTS = "/home/dev/.cache/ms-playwright/chromium-1/chrome-linux64/chrome";
const only = (...present: string[]) => (path: string) => present.includes(path);

describe("the browser the browser tests drive", () => {
  it("is CHROMIUM_PATH when set, then Debian's, then the one Playwright installed", () => {
    const all = only("/opt/chrome", "/usr/bin/chromium", PLAYWRIGHTS);
    expect(findChromium({ CHROMIUM_PATH: "/opt/chrome" }, all, () => PLAYWRIGHTS)).toBe("/opt/chrome");
    expect(findChromium({}, all, () => PLAYWRIGHTS)).toBe("/usr/bin/chromium");
    expect(findChromium({}, only("/usr/bin/chromium-browser", PLAYWRIGHTS), () => PLAYWRIGHTS)).toBe("/usr/bin/chromium-browser");
    expect(findChromium({}, only(PLAYWRIGHTS), () => PLAYWRIGHTS)).toBe(PLAYWRIGHTS);
  });

  it("is none when nothing is installed, or CHROMIUM_PATH names a file that is not there", () => {
    expect(findChromium({}, only(), () => PLAYWRIGHTS)).toBeNull();
    expect(findChromium({ CHROMIUM_PATH: "/opt/missing" }, only("/usr/bin/chromium"), () => PLAYWRIGHTS)).toBeNull();
  });

  it("stops npm test at once with the one-line hint, not a stack trace, when there is none", async () => {
    const run = promisify(execFile)("npx", ["tsx", "scripts/check-browser.ts"], { env: { ...process.env, CHROMIUM_PATH: "/opt/no-chromium-here" } });
    const failure = (await run.then(() => null, (error: unknown) => error)) as { code: number; stderr: string; stdout: string } | null;
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe(1);
    expect(failure!.stderr.trim()).toBe(NO_BROWSER_HINT);
    expect(failure!.stdout).toBe("");
  }, 30_000);
});
