import { defineConfig, devices } from "@playwright/test";
import { requireChromium } from "./tests/support/browser-path";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const isCI = Boolean(process.env.CI);

const launchOptions = {
  // CHROMIUM_PATH, Debian's Chromium, or one Playwright installed, in that order.
  executablePath: requireChromium(),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  // One server with one (embedded) database: tests run one after another.
  workers: 1,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions },
    },
    {
      // A phone's screen, 390×844: every page's layout, and what an on-call person does there.
      name: "phone",
      testMatch: /(pages|on-call)\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 390, height: 844 }, hasTouch: true, launchOptions },
    },
  ],
  webServer: {
    // `npm test` has just built the app (JOBBOARD_PREBUILT=1); run alone, the suite builds first.
    command: `${process.env.JOBBOARD_PREBUILT === "1" ? "" : "npm run build && "}npx tsx --conditions=react-server scripts/e2e-server.ts`,
    url: `http://127.0.0.1:${PORT}/login`,
    timeout: 600_000,
    reuseExistingServer: !isCI,
    env: { PORT: String(PORT) },
    stdout: "pipe",
    stderr: "pipe",
  },
});
