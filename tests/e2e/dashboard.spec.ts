import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { formatDuration, formatPercent } from "@/lib/time";
import { DEMO_OWNER, DEMO_VIEWER, screenshotPath, signIn } from "./support";

const DEMO_OPERATOR = "operator@jobboard.local";

async function openJob(page: Page, title: string) {
  await page.goto("/jobs");
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

// The run history is the page's first table; the alert log's comes after it.
const historyRows = (page: Page) => page.locator("table").first().locator("tbody tr");

test("[incidents] failing and missed jobs come before the healthy ones, and the badge matches", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await page.goto("/incidents");
  const open = page.getByRole("list", { name: "Open incidents" }).getByRole("listitem");
  await expect(open).toHaveCount(2);
  await expect(open.nth(0)).toContainText("Failing");
  await expect(open.nth(0)).toContainText("Sales report export");
  await expect(open.nth(1)).toContainText("Missed");
  await expect(open.nth(1)).toContainText("Inventory sync");
  await expect(page.getByTestId("incident-badge")).toHaveText("2");

  const others = page.getByRole("list", { name: "Other jobs" });
  await expect(others.getByRole("listitem").filter({ hasText: "Nightly database backup" })).toContainText("Healthy");
  // The incidents list is above the other jobs on the page.
  const incidentsTop = (await page.getByRole("list", { name: "Open incidents" }).boundingBox())!.y;
  const othersTop = (await others.boundingBox())!.y;
  expect(incidentsTop).toBeLessThan(othersTop);
});

test("[runs] clicking a failed status opens the error detail with the run's stderr", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await openJob(page, "Sales report export");
  await page.screenshot({ path: screenshotPath("job-detail"), fullPage: true });
  await historyRows(page).first().getByRole("button", { name: "Failed" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Error detail: Sales report export");
  await expect(dialog).toContainText("pyodbc.OperationalError");
  await expect(dialog).toContainText("DB connection reset while fetching orders");
  await page.screenshot({ path: screenshotPath("error-detail") });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
});

test("[rerun] edited parameters queue a rerun that runs; bad JSON or a schema violation is named and creates nothing", async ({ page }) => {
  await signIn(page, DEMO_OPERATOR);
  await openJob(page, "Recap pipeline");
  const before = await historyRows(page).count();

  await page.getByRole("button", { name: "Rerun" }).click();
  const dialog = page.getByRole("dialog", { name: "Rerun Recap pipeline" });
  const params = dialog.getByLabel("Parameters (JSON)");
  await expect(params).toHaveValue(/"step_ms": 800/);

  await params.fill('{"step_ms": 99999999, "fail_at": "Nowhere"}');
  await dialog.getByRole("button", { name: "Queue run" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Parameters do not match this job's schema.");
  await expect(dialog.getByRole("alert")).toContainText("step_ms");
  await expect(dialog.getByRole("alert")).toContainText("fail_at");

  await params.fill('{"step_ms": 5,');
  await dialog.getByRole("button", { name: "Queue run" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Parameters are not valid JSON.");

  await page.reload();
  await expect(historyRows(page)).toHaveCount(before);

  await page.getByRole("button", { name: "Rerun" }).click();
  await page.getByRole("dialog").getByLabel("Parameters (JSON)").fill('{"step_ms": 5}');
  await page.getByRole("dialog").getByRole("button", { name: "Queue run" }).click();
  // Queued, the dialog closes and the new run's page opens: nothing left to click twice.
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await expect(page.getByRole("heading", { level: 1, name: "Run of Recap pipeline" })).toBeVisible();
  await expect(page.getByText("Rerun · by operator@jobboard.local")).toBeVisible();
  await expect(page.getByTestId("run-params")).toContainText('"step_ms": 5');
  // The demo pipeline task runs in the server process: its eight stages pass in well under a second.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("main").locator("header").getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole("list", { name: "Attempts" })).toContainText("#1");
  await page.screenshot({ path: screenshotPath("run-detail"), fullPage: true });

  await openJob(page, "Recap pipeline");
  await expect(historyRows(page)).toHaveCount(before + 1);
  await expect(historyRows(page).first()).toContainText("Rerun");
});

test("[permissions] a viewer sees no Rerun, Run now, Pause or Cancel, and a crafted rerun action is refused", async ({ browser }) => {
  // An operator's real rerun request, captured to be replayed with a viewer's session.
  const operator = await browser.newPage();
  await signIn(operator, DEMO_OPERATOR);
  await openJob(operator, "Recap pipeline");
  await operator.getByRole("button", { name: "Rerun" }).click();
  const captured = operator.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
  await operator.getByRole("dialog").getByLabel("Parameters (JSON)").fill('{"step_ms": 1}');
  await operator.getByRole("dialog").getByRole("button", { name: "Queue run" }).click();
  const request = await captured;
  await expect(operator.getByRole("heading", { level: 1, name: "Run of Recap pipeline" })).toBeVisible();
  // The seeded running run can be canceled by an operator…
  await operator.goto("/");
  // The rerun just queued takes a moment to end on a busy machine: wait until only the seeded run is left running.
  const running = operator.getByRole("region", { name: "Running now" }).getByRole("link", { name: "Recap pipeline" });
  await expect(running).toHaveCount(1, { timeout: 20_000 });
  await running.click();
  await expect(operator.getByRole("button", { name: "Cancel run" })).toBeVisible();
  const runningRunUrl = operator.url();
  await operator.close();

  const viewer = await browser.newPage();
  await signIn(viewer, DEMO_VIEWER);
  // …but not by a viewer.
  await viewer.goto(runningRunUrl);
  await expect(viewer.getByRole("heading", { level: 1 })).toContainText("Run of Recap pipeline");
  await expect(viewer.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await openJob(viewer, "Recap pipeline");
  for (const name of ["Rerun", "Run now", "Pause"]) await expect(viewer.getByRole("button", { name })).toHaveCount(0);
  const runsBefore = await historyRows(viewer).count();

  const headers = request.headers();
  const replay = await viewer.request.post(request.url(), {
    headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]!, accept: "text/x-component" },
    data: request.postDataBuffer()!,
  });
  expect(await replay.text()).toContain("Only operators and admins can run jobs.");
  await openJob(viewer, "Recap pipeline");
  await expect(historyRows(viewer)).toHaveCount(runsBefore);
  await viewer.close();
});

type Row = { status: string; finishedAt: number | null; durationMs: number | null };


/** percentile_cont, as PostgreSQL computes it. */
function percentileCont(sorted: number[], fraction: number): number {
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

test("[overview] the cards show the numbers the seeded runs give", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  // Read the cards and the underlying runs within the same minute.
  const card = (id: string) => page.getByTestId(`${id}-value`).textContent();
  const shown = { successRate: await card("success-rate"), avg: await card("avg-duration"), p95: await card("p95-duration"), failed: await card("failed-runs") };
  const charted = { hour: await page.getByTestId("runs-per-hour").getAttribute("data-runs"), day: await page.getByTestId("runs-per-day").getAttribute("data-runs") };
  const bars = { hour: await page.getByTestId("runs-per-hour").locator("[data-bar]").count(), day: await page.getByTestId("runs-per-day").locator("[data-bar]").count() };
  await page.screenshot({ path: screenshotPath("overview"), fullPage: true });
  const now = Date.now();
  await expect(page.getByRole("region", { name: "Running now" })).toContainText("Recap pipeline");
  await expect(page.getByRole("region", { name: "Running now" }).getByRole("list", { name: "Pipeline stages" })).toContainText("Genre");

  const databaseUrl = await readFile(".jobboard/e2e-database-url", "utf8").catch(() => null);
  let expected: { rate: number | null; avg: number | null; p95: number | null; failed: number };
  if (databaseUrl) {
    // On PostgreSQL: the same numbers straight from SQL.
    const sql = postgres(databaseUrl, { max: 1 });
    const [row] = await sql`
      select count(*) filter (where status = 'succeeded')::float8
               / nullif(count(*) filter (where status in ('succeeded', 'failed', 'timed_out')), 0) as rate,
             avg(duration_ms)::float8 as avg, percentile_cont(0.95) within group (order by duration_ms)::float8 as p95,
             count(*) filter (where status in ('failed', 'timed_out'))::int as failed
      from runs r join workspaces w on w.id = r.workspace_id
      where w.slug = 'demo' and r.finished_at >= ${new Date(now - 86_400_000)} and r.finished_at < ${new Date(now)}`;
    await sql.end();
    expected = { rate: row!.rate, avg: row!.avg, p95: row!.p95, failed: row!.failed };
  } else {
    // On the embedded database the suite cannot open a second connection: the same numbers
    // from the runs list instead, every run of the workspace being on its first pages.
    const rows: Row[] = [];
    await page.goto("/runs");
    for (;;) {
      const table = page.locator("table tbody tr");
      rows.push(
        ...(await table.evaluateAll((trs) =>
          trs.map((tr) => ({
            status: tr.getAttribute("data-status") ?? "",
            finishedAt: tr.getAttribute("data-finished-at") ? Date.parse(tr.getAttribute("data-finished-at")!) : null,
            durationMs: tr.getAttribute("data-duration-ms") ? Number(tr.getAttribute("data-duration-ms")) : null,
          })),
        )),
      );
      // Newest first: once a page reaches runs started two days ago, nothing older can count.
      const lastStarted = Date.parse((await table.last().locator("time").getAttribute("datetime"))!);
      const older = page.getByRole("link", { name: "Older runs" });
      if (lastStarted < now - 2 * 86_400_000 || (await older.count()) === 0) break;
      await older.click();
    }
    const window = rows.filter((r) => r.finishedAt !== null && r.finishedAt >= now - 86_400_000 && r.finishedAt < now);
    const counted = window.filter((r) => ["succeeded", "failed", "timed_out"].includes(r.status));
    const durations = window.map((r) => r.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
    expected = {
      rate: counted.length ? window.filter((r) => r.status === "succeeded").length / counted.length : null,
      avg: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
      p95: durations.length ? percentileCont(durations, 0.95) : null,
      failed: window.filter((r) => r.status === "failed" || r.status === "timed_out").length,
    };
  }
  expect(expected.failed).toBeGreaterThan(0);
  const { p95: shownP95, ...shownExact } = shown;
  expect(shownExact).toEqual({
    successRate: formatPercent(expected.rate),
    avg: formatDuration(expected.avg),
    failed: String(expected.failed),
  });
  // The p95 comes from the hourly rollups' histograms: within 9 % of the exact value.
  expect(expected.p95).not.toBeNull();
  const withinNinePercent = new Set(Array.from({ length: 181 }, (_, i) => formatDuration(expected.p95! * (0.91 + i * 0.001))));
  expect([...withinNinePercent]).toContain(shownP95);
  // The charts under the cards draw the seeded history, hour by hour and day by day.
  expect(bars).toEqual({ hour: 24, day: 14 });
  expect(Number(charted.hour)).toBeGreaterThan(0);
  expect(Number(charted.day)).toBeGreaterThan(Number(charted.hour) - 1);
});
