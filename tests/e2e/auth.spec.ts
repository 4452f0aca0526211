import { expect, test } from "@playwright/test";
import { DEMO_OWNER, DEMO_PASSWORD, screenshotPath, signIn } from "./support";

test("[auth] the demo login signs in, the badge counts the open incidents, and sign-out ends the session", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  // The sign-in page advertises the demo login in the embedded default only.
  const demoHint = page.getByRole("complementary", { name: "Demo login" });
  if (!process.env.DATABASE_URL) await expect(demoHint).toContainText(`${DEMO_OWNER} / ${DEMO_PASSWORD}`);
  else await expect(demoHint).toHaveCount(0);

  await signIn(page, DEMO_OWNER);
  const nav = page.getByRole("navigation", { name: "Main" });
  const badge = nav.getByTestId("incident-badge");
  await expect(badge).toBeVisible();
  await expect(page.getByText("Times in Asia/Tokyo", { exact: false })).toBeVisible();
  await page.screenshot({ path: screenshotPath("overview"), fullPage: true });

  // The badge agrees with the incidents the incidents page lists from the database.
  await nav.getByRole("link", { name: /Incidents/ }).click();
  const listed = page.getByRole("list", { name: "Open incidents" }).getByRole("listitem");
  await expect(listed).toHaveCount(2);
  await expect(badge).toHaveText("2");
  await expect(badge).toHaveAccessibleName("2 open incidents");
  await expect(listed.filter({ hasText: "Sales report export" })).toContainText("Failing");
  await expect(listed.filter({ hasText: "Inventory sync" })).toContainText("Missed");
  await page.screenshot({ path: screenshotPath("incidents"), fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/incidents");
  await expect(page).toHaveURL(/\/login$/);
});

test("[auth] a wrong password shows a clear error and signs nobody in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_OWNER);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login$/);
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => c.name)).not.toContain("jb_session");
});

test("[auth] a bad email is named on its field", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("whatever");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("[auth] signing up creates a workspace the new user owns", async ({ page }) => {
  const email = `new-${Date.now()}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-password");
  await page.getByLabel("Workspace name").fill("Nightly Batch Team");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("Nightly Batch Team · times in Asia/Tokyo")).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByText("owner", { exact: true })).toBeVisible();
  // A new workspace has no incidents: the badge is hidden at zero.
  await expect(page.getByTestId("incident-badge")).toHaveCount(0);
});
