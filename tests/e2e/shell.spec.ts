import { expect, test } from "@playwright/test";
import { describeSchedule } from "@/server/schedule/describe";
import { DEMO_OWNER, DEMO_VIEWER, signIn } from "./support";

test("[shell] the workspace switcher moves to another workspace and its own badge", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await expect(page.getByTestId("incident-badge")).toHaveText("2");
  await page.getByLabel("Workspace").selectOption({ label: "Research Lab" });
  await expect(page.getByText("Research Lab · times in America/New_York")).toBeVisible();
  await expect(page.getByTestId("incident-badge")).toHaveCount(0);
  await page.getByLabel("Workspace").selectOption({ label: "Demo" });
  await expect(page.getByText("Demo · times in Asia/Tokyo")).toBeVisible();
});

test("[shell] every section of the sidebar opens for a viewer", async ({ page }) => {
  await signIn(page, DEMO_VIEWER);
  await expect(page.getByText("viewer", { exact: true })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [link, heading] of [
    ["Jobs", "Jobs"],
    ["Runs", "Runs"],
    ["Settings", "Settings"],
    ["Audit", "Audit log"],
    ["Overview", "Overview"],
  ] as const) {
    await nav.getByRole("link", { name: link, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(nav.getByRole("link", { name: link, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("[i18n] the interface switches to Japanese and remembers it", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  await page.getByLabel("Language").selectOption("ja");
  await expect(page.getByRole("heading", { level: 1, name: "概要" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "メイン" });
  await expect(nav.getByRole("link", { name: /障害/ })).toBeVisible();
  await expect(page.getByTestId("incident-badge")).toHaveAccessibleName("未解決の障害 2 件");
  await nav.getByRole("link", { name: "ジョブ", exact: true }).click();
  await expect(page.getByRole("columnheader", { name: "スケジュール" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Sales report export" })).toContainText("失敗中");
  // The admin forms are translated too, including what client components render.
  await page.goto("/jobs/new");
  await expect(page.getByRole("heading", { level: 1, name: "新しいジョブ" })).toBeVisible();
  await page.getByLabel("スケジュール", { exact: true }).selectOption("cron");
  await page.getByLabel("cron", { exact: true }).fill("30 9 * * 1-5");
  const preview = page.getByTestId("schedule-preview");
  await expect(preview).toContainText("次回の実行");
  // In the job page's words, dates in Japanese, and a mistake said in Japanese, not the library's.
  await expect(preview).toContainText(describeSchedule({ cron: "30 9 * * 1-5", timezone: "Asia/Tokyo", periodSeconds: null }, "ja")!);
  await expect(preview.getByRole("listitem").first()).toContainText("年");
  await page.getByLabel("cron", { exact: true }).fill("0 25 * * *");
  await expect(preview).toHaveText("時は 0〜23 です。25 は範囲外です");
  await page.goto("/settings");
  await expect(page.getByRole("button", { name: "設定を保存" })).toBeVisible();
  await page.getByLabel("言語").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
});
