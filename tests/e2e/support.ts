import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { translator, type Locale, type Translate } from "@/lib/i18n/messages";

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

/** The first link on `path` to `prefix` and an id (a demo job or run). */
export async function firstLink(page: Page, path: string, prefix: string): Promise<string> {
  await page.goto(path);
  const hrefs = await page.locator(`main a[href^="${prefix}"]`).evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  const href = hrefs.find((candidate) => new RegExp(`^${prefix}[0-9a-f-]{36}$`).test(candidate));
  expect(href, `a link to ${prefix}<id> on ${path}`).toBeTruthy();
  return href!;
}

/** Every page of the app a signed-in owner can open, with a demo job and run. */
export async function everyPage(page: Page): Promise<string[]> {
  const job = await firstLink(page, "/jobs", "/jobs/");
  const run = await firstLink(page, "/runs", "/runs/");
  return [
    "/",
    "/incidents",
    "/jobs",
    job,
    `${job}/edit`,
    "/jobs/new",
    "/runs",
    run,
    "/agents",
    "/maintenance",
    "/scheduler",
    "/settings",
    "/settings/keys",
    "/settings/members",
    "/settings/agents",
    "/audit",
    "/account/password",
  ];
}

/** Switches the signed-in account's language from the account menu (`label` is its name, in the current language). */
export async function chooseLanguage(page: Page, label: string, locale: Locale) {
  // On a phone the account block is folded behind its button; on a desktop it is always shown.
  const menu = page.getByRole("button", { name: label });
  if (await menu.isVisible()) await menu.click();
  await page.locator("#language-switcher").selectOption(locale);
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
}

export const LANGUAGES = [
  { locale: "en", name: "English" },
  { locale: "ja", name: "Japanese" },
] as const;

/**
 * Runs `body` with the signed-in account in `locale`, handing it that language's words, and puts
 * English back afterwards, failed or not: the other tests read English.
 */
export async function inLanguage(page: Page, locale: Locale, body: (t: Translate) => Promise<void>): Promise<void> {
  const t = translator(locale);
  if (locale === "en") return body(t);
  await chooseLanguage(page, translator("en")("nav.account"), locale);
  try {
    await body(t);
  } finally {
    await page.goto("/");
    await chooseLanguage(page, t("nav.account"), "en");
  }
}

/** What axe (WCAG 2 A and AA) finds on the page, one line per rule with where. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return results.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`);
}
