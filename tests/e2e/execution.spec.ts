import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER, signIn } from "./support";

/**
 * The http job's target: a real HTTP server in the test process. "hold" keeps each request open
 * until the test releases it, so the UI can be watched while the run is running.
 */
class TargetServer {
  mode: "hold" | "fail" | "ok" = "hold";
  requests: Array<{ method: string; body: string }> = [];
  private waiting: Array<() => void> = [];
  private server: Server = createServer((request, response) => void this.handle(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/exports/warehouse`;
  }

  releaseAll(): void {
    for (const release of this.waiting.splice(0)) release();
  }

  async stop(): Promise<void> {
    this.releaseAll();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of request) body += chunk;
    this.requests.push({ method: request.method ?? "", body });
    if (this.mode === "hold") await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.mode === "fail") {
      response.writeHead(500, { "content-type": "text/plain" }).end("Traceback: warehouse database is read-only\n");
      return;
    }
    response.writeHead(200, { "content-type": "text/plain" }).end("exported 1204 rows\n");
  }
}

// The run history is the page's first table; the alert log's comes after it.
const historyRows = (page: Page) => page.locator("table").first().locator("tbody tr");
const openIncidents = (page: Page) => page.getByRole("list", { name: "Open incidents" }).getByRole("listitem");

async function badgeCount(page: Page): Promise<number> {
  const badge = page.getByTestId("incident-badge");
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

test("[execution] an http job made in the app runs, fails into an incident, and a rerun after the fix resolves it", async ({ page }) => {
  test.setTimeout(120_000);
  const target = new TargetServer();
  const url = await target.start();
  try {
    await signIn(page, DEMO_OWNER);
    await page.goto("/incidents");
    const openBefore = await badgeCount(page);

    // Create the job. A first try with a bad URL is refused with the field named, and keeps what was typed.
    await page.goto("/jobs");
    await page.getByRole("link", { name: "New job" }).click();
    await page.getByLabel("Title").fill("Warehouse export");
    await page.getByLabel("Key", { exact: true }).fill("warehouse-export");
    await page.getByLabel("Runs as").selectOption("http");
    await page.getByLabel("URL").fill("ftp://nowhere");
    // Changing one's mind about how it runs keeps what was typed.
    await page.getByLabel("Runs as").selectOption("task");
    await expect(page.getByLabel("URL")).toBeHidden();
    await page.getByLabel("Runs as").selectOption("http");
    await expect(page.getByLabel("URL")).toHaveValue("ftp://nowhere");
    await page.getByRole("button", { name: "Create job" }).click();
    await expect(page.locator("#httpUrl-error")).toHaveText("Enter an http:// or https:// URL");
    await expect(page.getByLabel("Title")).toHaveValue("Warehouse export");
    await page.getByLabel("URL").fill(url);
    await page.getByLabel("Default parameters (JSON)").fill('{"warehouse": "kawasaki"}');
    await page.getByRole("button", { name: "Create job" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Warehouse export" })).toBeVisible();
    await expect(page.getByText("runs execute inside this server process")).toBeVisible();

    // Run now: the call is held open, so the run is seen running; released, it succeeds.
    await page.getByRole("button", { name: "Run now" }).click();
    await expect(historyRows(page)).toHaveCount(1);
    await expect(historyRows(page).first()).toContainText("Running", { timeout: 15_000 });
    await expect.poll(() => target.requests.length).toBe(1);
    expect(target.requests[0]).toEqual({ method: "POST", body: '{"warehouse":"kawasaki"}' });
    target.releaseAll();
    // The page refreshes itself while a run is active.
    await expect(historyRows(page).first()).toContainText("Succeeded", { timeout: 15_000 });
    await historyRows(page).first().getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Run of Warehouse export" })).toBeVisible();
    const timeline = page.getByRole("list").filter({ hasText: "Queued" }).first();
    for (const step of ["Queued", "Started", "Finished · Succeeded"]) {
      await expect(timeline.getByRole("listitem").filter({ hasText: step })).not.toContainText("—");
    }
    await expect(page.getByText("exported 1204 rows")).toBeVisible();

    // The target breaks: the next run fails, an incident opens and the badge counts it.
    target.mode = "fail";
    await page.getByRole("link", { name: "warehouse-export" }).click();
    await page.getByRole("button", { name: "Run now" }).click();
    await expect(historyRows(page)).toHaveCount(2);
    await expect(historyRows(page).first()).toContainText("Failed", { timeout: 15_000 });
    await expect(page.getByRole("main").locator("header").getByText("Failing")).toBeVisible();
    await page.goto("/incidents");
    const incident = openIncidents(page).filter({ hasText: "Warehouse export" });
    await expect(incident).toContainText("Failing");
    await expect(incident).toContainText("HTTP 500");
    await expect(page.getByTestId("incident-badge")).toHaveText(String(openBefore + 1));

    // Fixed: a rerun succeeds and the incident resolves.
    target.mode = "ok";
    await page.goto("/jobs");
    await page.getByRole("link", { name: "Warehouse export", exact: true }).click();
    await page.getByRole("button", { name: "Rerun" }).click();
    await expect(page.getByRole("dialog").getByLabel("Parameters (JSON)")).toHaveValue(/"warehouse": "kawasaki"/);
    await page.getByRole("dialog").getByRole("button", { name: "Queue run" }).click();
    // Queued, the dialog closes and the new run's page opens: nothing left to click twice.
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByRole("main").locator("header").getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText("Rerun · by demo@jobboard.local")).toBeVisible();

    await page.goto("/incidents");
    await expect(openIncidents(page).filter({ hasText: "Warehouse export" })).toHaveCount(0);
    expect(await badgeCount(page)).toBe(openBefore);
    await expect(page.getByRole("list", { name: "Other jobs" }).getByRole("listitem").filter({ hasText: "Warehouse export" })).toContainText("Healthy");
    expect(target.requests).toHaveLength(3);

    // Done with it: deleting asks for the key, then the job and its runs are gone.
    await page.goto("/jobs");
    await page.getByRole("link", { name: "Warehouse export", exact: true }).click();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Type warehouse-export to confirm").fill("warehouse");
    await page.getByRole("button", { name: "Delete job" }).click();
    await expect(page.locator("#confirmKey-error")).toHaveText("Type warehouse-export to confirm.");
    await page.getByLabel("Type warehouse-export to confirm").fill("warehouse-export");
    await page.getByRole("button", { name: "Delete job" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Warehouse export", exact: true })).toHaveCount(0);
  } finally {
    await target.stop();
  }
});

test("[execution] a running task run is canceled from its page, in the app's dialog, and ends canceled between stages", async ({ page }) => {
  test.setTimeout(90_000);
  const runHeader = page.getByRole("main").locator("header");
  await signIn(page, DEMO_OWNER);
  await page.goto("/jobs");
  await page.getByRole("link", { name: "Recap pipeline", exact: true }).click();
  // Slow stages, so the run is still in its first ones when Cancel is pressed.
  await page.getByRole("button", { name: "Rerun" }).click();
  const rerun = page.getByRole("dialog");
  await rerun.getByLabel("Parameters (JSON)").fill('{"step_ms": 20000}');
  await rerun.getByRole("button", { name: "Queue run" }).click();
  await expect(rerun).toHaveCount(0);
  await expect(runHeader.getByText("Running", { exact: true })).toBeVisible({ timeout: 20_000 });
  // Its first stage is under way: 0 % of eight.
  await expect(page.getByText("0%", { exact: true })).toBeVisible({ timeout: 15_000 });

  await page.getByRole("button", { name: "Cancel run" }).click();
  const asked = page.getByRole("dialog", { name: "Cancel this run?" });
  await expect(asked.getByRole("button", { name: "Keep running" })).toBeVisible();
  await asked.getByRole("button", { name: "Cancel run" }).click();
  await expect(runHeader.getByText("Canceled", { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(`Canceled by ${DEMO_OWNER}`)).toBeVisible();
  // The task stopped where it was, and the page stops offering Cancel.
  await expect(page.getByText("100%", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
});
