import { chromium, type Browser, type Page } from "playwright-core";
import { requireChromium } from "../../support/browser-path";

/** The e2e suite's Chromium, headless, as that suite runs it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
  });
}

/** Submits the sign-in form and waits for the server action's answer. */
export async function submitSignIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  if (!page.url().endsWith("/login")) await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((response) => response.request().method() === "POST");
  await page.getByRole("button", { name: "Sign in" }).click();
  await answered;
}

/** The error the form shows after an answer, trimmed (not Next's empty route announcer, also an alert). */
export async function formError(page: Page): Promise<string> {
  const alert = page.getByRole("alert").filter({ hasText: /\S/ }).first();
  await alert.waitFor();
  return (await alert.innerText()).trim();
}
