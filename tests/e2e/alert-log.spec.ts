import { expect, test } from "@playwright/test";
import { DEMO_VIEWER, WEBHOOK_SECRET, axeViolations, signIn } from "./support";

let jobKey = "";

// Leave the demo as it was, whatever the test did: the job recovers, so no later test finds its
// incident open.
test.afterEach(async ({ request }) => {
  if (!jobKey) return;
  const recovered = await request.post("/api/monitor/job-report", {
    headers: { "Content-Type": "application/json", "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
    data: { job_key: jobKey, title: "Alert log (E2E)", status: "success", finished_at: new Date().toISOString() },
  });
  expect(recovered.status()).toBe(200);
});

test("[incidents] the alert log is visible on an incident: kind, the message as written for Slack, and what became of it", async ({ page, request }) => {
  jobKey = `e2e-alert-log-${Date.now()}`;
  const failed = await request.post("/api/monitor/job-report", {
    headers: { "Content-Type": "application/json", "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
    data: { job_key: jobKey, title: "Alert log (E2E)", status: "error", finished_at: new Date().toISOString(), message: "disk full" },
  });
  expect(failed.status()).toBe(200);

  // A viewer reads it: the log is for everyone in the workspace, not admins only.
  await signIn(page, DEMO_VIEWER);
  await page.goto("/incidents");
  const incident = page.getByRole("list", { name: "Open incidents" }).getByRole("listitem").filter({ hasText: "Alert log (E2E)" });
  await incident.getByRole("link", { name: "Details and alert log" }).click();
  await expect(page.getByRole("heading", { name: "Incident: Alert log (E2E)" })).toBeVisible();
  const log = page.getByRole("region", { name: "Alert log" });
  const row = log.getByRole("row").filter({ hasText: ":rotating_light: Alert log (E2E) failed" });
  await expect(row).toContainText("Failure");
  // Delivery runs after the report's commit: the state settles from "waiting" to its outcome.
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText(/Sent |Not sent: no Slack webhook is set|Retrying after/);
  }).toPass();
  expect(await axeViolations(page)).toEqual([]);

  // The job's page ends with the same log.
  await page.getByRole("link", { name: "Alert log (E2E)" }).click();
  await expect(page.getByRole("region", { name: "Alert log" }).getByRole("row").filter({ hasText: ":rotating_light: Alert log (E2E) failed" })).toBeVisible();
});
