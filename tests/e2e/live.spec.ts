import { expect, test } from "@playwright/test";
import { DEMO_OWNER, WEBHOOK_SECRET, signIn } from "./support";

// The pages poll every 5 s while visible: one poll, with room for a slow machine.
const ONE_POLL = { timeout: 9000 };

test("[live] a failing report shows on the overview, on /incidents and in the badge, without a reload", async ({ page, request }) => {
  const stamp = Date.now();
  const jobs = [
    { key: `e2e-live-a-${stamp}`, title: "Live export A (E2E)" },
    { key: `e2e-live-b-${stamp}`, title: "Live export B (E2E)" },
  ];
  const report = (job: (typeof jobs)[number], status: "success" | "error", message: string) =>
    request.post("/api/monitor/job-report", {
      headers: { "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
      data: { job_key: job.key, title: job.title, status, finished_at: new Date().toISOString(), message },
    });

  await signIn(page, DEMO_OWNER);
  const badge = page.getByTestId("incident-badge");
  const before = Number(await badge.textContent());

  // The overview leads with what is broken, and the new failure arrives there with its message.
  expect((await report(jobs[0]!, "error", "disk full on /var")).status()).toBe(200);
  await expect(page.getByRole("list", { name: "Broken now" }).locator(`[data-incident="${jobs[0]!.key}"]`)).toContainText("disk full on /var", ONE_POLL);
  await expect(badge).toHaveText(String(before + 1), ONE_POLL);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Incidents/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Incidents" })).toBeVisible();
  expect((await report(jobs[1]!, "error", "upstream 502")).status()).toBe(200);
  const incidents = page.getByRole("list", { name: "Open incidents" });
  await expect(incidents.getByRole("listitem").filter({ hasText: jobs[1]!.title })).toContainText("upstream 502", ONE_POLL);
  await expect(badge).toHaveText(String(before + 2), ONE_POLL);

  // Both recover, and the page and the badge follow, still without a reload.
  for (const job of jobs) expect((await report(job, "success", "ok")).status()).toBe(200);
  await expect(incidents.getByRole("listitem").filter({ hasText: jobs[1]!.title })).toHaveCount(0, ONE_POLL);
  await expect(badge).toHaveText(String(before), ONE_POLL);
});

test("[forms] a refused job form lists every problem at once, the taken key included, and focuses the first", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await page.goto("/jobs/new");
  await page.getByLabel("Title", { exact: true }).fill("Duplicate of the sales export");
  await page.getByLabel("Key", { exact: true }).fill("sales-report-export");
  await page.locator("#kind").selectOption("reported");
  await page.getByLabel("Schedule", { exact: true }).selectOption("cron");
  await page.getByLabel("Cron", { exact: true }).fill("0 25 * * *");
  await page.getByRole("button", { name: "Create job" }).click();
  const summary = page.getByTestId("form-error-summary");
  await expect(summary).toContainText("Another job in this workspace already has this key.");
  await expect(summary.getByRole("link")).toHaveCount(2);
  await expect(page.locator("#jobKey")).toBeFocused();
  await expect(page.locator("#cron-error")).toBeVisible();
  await expect(page.locator("#timezone-error")).toHaveCount(0);
});
