import { expect, test } from "@playwright/test";
import { DEMO_OWNER, WEBHOOK_SECRET, signIn } from "./support";

/** A datetime-local value: the wall clock in `timeZone`, `offsetMinutes` from now. */
function wallClock(timeZone: string, offsetMinutes: number): string {
  const parts = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(Date.now() + offsetMinutes * 60_000));
  return parts.replace(" ", "T");
}

test("[maintenance] a job's failure inside a window is recorded, marked and not alerted; the window is planned and removed from the browser", async ({ page, request }) => {
  const jobKey = `e2e-maintenance-${Date.now()}`;
  const title = "Warehouse sync (E2E)";
  const report = (status: "success" | "error", message: string) =>
    request.post("/api/monitor/job-report", {
      headers: { "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
      data: { job_key: jobKey, title, status, finished_at: new Date().toISOString(), message },
    });
  const { id } = (await (await report("success", "ok")).json()) as { id: string };

  await signIn(page, DEMO_OWNER);
  await page.goto(`/jobs/${id}`);
  await page.getByRole("link", { name: "Plan maintenance" }).click();
  await expect(page).toHaveURL(new RegExp(`/maintenance\\?job=${id}$`));
  const form = page.getByRole("form", { name: "Plan a window" });
  await expect(form.getByLabel("Applies to")).toHaveValue(id);
  const timezone = await form.getByLabel("Timezone").inputValue();

  // An end before its start is refused under the end, and nothing typed is lost.
  await form.getByLabel("Title").fill("Deploy (E2E)");
  await form.getByLabel("From", { exact: true }).fill(wallClock(timezone, 60));
  await form.getByLabel("To", { exact: true }).fill(wallClock(timezone, -60));
  await form.getByRole("button", { name: "Plan window" }).click();
  await expect(page.locator("#endsAt-error")).toHaveText("The window must end after it starts");
  await expect(form.getByLabel("Title")).toHaveValue("Deploy (E2E)");

  await form.getByLabel("From", { exact: true }).fill(wallClock(timezone, -60));
  await form.getByLabel("To", { exact: true }).fill(wallClock(timezone, 60));
  await form.getByRole("button", { name: "Plan window" }).click();
  await expect(form.getByRole("status")).toHaveText("Window planned.");
  const row = page.locator('tr[data-window="Deploy (E2E)"]');
  await expect(row).toContainText(title);
  await expect(row).toContainText("In maintenance until");

  const failed = await report("error", "warehouse offline for the deploy");
  expect(failed.status()).toBe(200);
  const { run_id: runId } = (await failed.json()) as { run_id: string };
  await page.goto("/incidents");
  const incident = page.getByRole("list", { name: "Open incidents" }).getByRole("listitem").filter({ hasText: title });
  await expect(incident).toContainText("during maintenance");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("during-maintenance")).toContainText("During maintenance: Deploy (E2E)");
  await page.goto(`/jobs/${id}`);
  await expect(page.getByTestId("job-in-maintenance")).toContainText("Deploy (E2E)");
  await expect(page.getByTestId("maintenance-flag").first()).toBeVisible();

  // Leave the demo as it was: the job recovers, and the window goes.
  expect((await report("success", "back")).status()).toBe(200);
  await page.goto("/maintenance");
  await row.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(row).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.locator("main")).toContainText("maintenance.deleted");
});
