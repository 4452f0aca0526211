import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "jobboard-demo";
export const DEMO_OWNER = "demo@jobboard.local";
export const DEMO_VIEWER = "viewer@jobboard.local";
/** Set for the server by scripts/e2e-server.ts. */
export const WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

/**
 * Where the suite saves a page's screenshot: test-results/ always, or docs/screenshots/ (the
 * README's pictures) when run with UPDATE_SCREENSHOTS=1.
 */
export function screenshotPath(name: string): string {
  return process.env.UPDATE_SCREENSHOTS === "1" ? `docs/screenshots/${name}.png` : `test-results/screenshots/${name}.png`;
}
