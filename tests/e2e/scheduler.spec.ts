import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { DEMO_OWNER, DEMO_VIEWER, signIn } from "./support";

// The suite's server runs no scheduler (JOBBOARD_IN_PROCESS_SCHEDULER=0, no Inngest), so no tick
// ever comes from it. On PostgreSQL the test writes the heartbeats a scheduler would leave.

const banner = (page: Page) => page.getByTestId("scheduler-banner");
const line = (page: Page) => page.getByTestId("scheduler-line");
const NO_SCHEDULER = "Likely cause: no scheduler runs.";

test("[scheduler] the banner appears on every page when ticks stop, with the cause for admins; the overview shows the state", async ({ page, browser }) => {
  const databaseUrl = await readFile(".jobboard/e2e-database-url", "utf8").catch(() => null);
  const sql = databaseUrl ? postgres(databaseUrl, { max: 1 }) : null;
  try {
    if (sql) {
      // A tick a few seconds ago, by Inngest: no banner, and the overview says it runs.
      await sql`insert into tick_heartbeats (ticked_at, runner, duration_ms) values (now() - interval '5 seconds', 'inngest', 120)`;
      await signIn(page, DEMO_OWNER);
      await expect(line(page)).toHaveAttribute("data-state", "ok");
      await expect(line(page)).toContainText("Scheduler: running (Inngest), last tick");
      await expect(banner(page)).toHaveCount(0);
      await line(page).getByRole("link", { name: "Details" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Scheduler" })).toBeVisible();
      await expect(page.getByTestId("scheduler-state")).toHaveText("Running");
      await expect(page.getByTestId("scheduler-ticks-last-hour")).toHaveText("1");

      // The ticks stop: ten minutes later nothing has come.
      await sql`update tick_heartbeats set ticked_at = ticked_at - interval '10 minutes'`;
      await page.goto("/");
      await expect(banner(page)).toContainText("The scheduler is late: no tick since");
    } else {
      // On the embedded database: no tick has ever come, and none will.
      await signIn(page, DEMO_OWNER);
      await expect(banner(page)).toContainText("The scheduler has not run yet");
    }
    await expect(banner(page)).toContainText(NO_SCHEDULER);
    await expect(line(page)).toHaveAttribute("data-state", sql ? "late" : "never");
    for (const path of ["/jobs", "/incidents", "/settings"]) {
      await page.goto(path);
      await expect(banner(page), path).toBeVisible();
    }

    // A viewer sees the banner too, but not the configuration behind it.
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await signIn(viewer, DEMO_VIEWER);
    await expect(banner(viewer)).toBeVisible();
    await expect(banner(viewer)).not.toContainText(NO_SCHEDULER);
    await viewerContext.close();

    if (sql) {
      // The ticks resume: the banner goes.
      await sql`insert into tick_heartbeats (ticked_at, runner, duration_ms) values (now(), 'in-process', 80)`;
      await page.goto("/");
      await expect(line(page)).toHaveAttribute("data-state", "ok");
      await expect(banner(page)).toHaveCount(0);
    }
  } finally {
    // Leave the suite's server as it found it: no scheduler.
    if (sql) {
      await sql`delete from tick_heartbeats`;
      await sql.end();
    }
  }
});
