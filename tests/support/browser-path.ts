import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** Where Debian (and Ubuntu's snap shim) put Chromium. */
const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

export const NO_BROWSER_HINT =
  "No Chromium found for the browser tests: set CHROMIUM_PATH, or install one with `apt-get install chromium` or `npx playwright install chromium`.";

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH when set, else Debian's, else one that
 * Playwright installed. Null when there is none.
 */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
  playwrights: () => string = () => chromium.executablePath(),
): string | null {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  const system = SYSTEM_CHROMIUM.find((path) => exists(path));
  if (system) return system;
  const installed = playwrights();
  return installed && exists(installed) ? installed : null;
}

/** findChromium, or the one-line hint on stderr and exit 1: not a launch error's stack trace. */
export function requireChromium(): string {
  const path = findChromium();
  if (path) return path;
  console.error(NO_BROWSER_HINT);
  process.exit(1);
}
