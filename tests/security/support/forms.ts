import type { Page } from "playwright-core";

/** Fills and submits the sign-up form, waiting for the server action's answer. */
export async function submitSignUp(page: Page, baseUrl: string, input: { email: string; password: string; workspaceName: string }) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel("Email").fill(input.email);
  await page.getByLabel("Password").fill(input.password);
  await page.getByLabel("Workspace name").fill(input.workspaceName);
  const answered = page.waitForResponse((response) => response.request().method() === "POST");
  await page.getByRole("button", { name: "Create account" }).click();
  await answered;
}
