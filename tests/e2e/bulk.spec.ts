import { expect, test } from "@playwright/test";
import { DEMO_OWNER, signIn } from "./support";

test("[bulk] an operator reruns a job's failed runs from /runs, after a confirmation that states the count", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await page.goto("/runs?job=recap-pipeline&status=failed");
  const failed = await page.locator("table tbody tr").count();
  expect(failed).toBeGreaterThan(0);
  await page.getByRole("button", { name: `Rerun failed (${failed})` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Rerun ${failed} failed runs?`);
  await dialog.getByRole("button", { name: `Rerun ${failed} runs` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Queued ${failed} reruns.` })).toBeVisible();

  // Each failed run now has a rerun of its own, started by this operator.
  await page.goto("/runs?job=recap-pipeline&trigger=rerun");
  expect(await page.locator("table tbody tr").count()).toBeGreaterThanOrEqual(failed);
  await page.goto("/audit");
  await expect(page.locator("main")).toContainText("run.bulk_rerun");
});

test("[bulk] ticked incidents are counted in the acknowledgement's confirmation, and Not now changes nothing", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await page.goto("/incidents");
  const open = page.getByRole("list", { name: "Open incidents" });
  const boxes = open.getByRole("checkbox");
  await page.getByRole("button", { name: "Acknowledge selected" }).click();
  await expect(page.getByRole("dialog")).toContainText("Tick the incidents to acknowledge first.");
  await page.getByRole("dialog").getByRole("button", { name: "Not now" }).click();

  await boxes.first().check();
  await page.getByRole("button", { name: "Acknowledge selected" }).click();
  await expect(page.getByRole("dialog")).toContainText("Acknowledge 1 incidents?");
  await page.getByRole("dialog").getByRole("button", { name: "Not now" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(open.getByRole("button", { name: "Acknowledge", exact: true }).first()).toBeVisible();
});
