import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER, axeViolations, chooseLanguage, everyPage, screenshotPath, signIn } from "./support";

// The "phone" project (390×844) runs this file: every page, in English and in Japanese, fits the
// screen's width (tables scroll inside their card, never the page), and is saved as a screenshot.

async function hasNoSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

for (const locale of ["en", "ja"] as const) {
  test(`[phone] every page fits a 390 px screen, in ${locale === "en" ? "English" : "Japanese"}`, async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, DEMO_OWNER);
    if (locale === "ja") {
      await chooseLanguage(page, "Account", "ja");
      await expect(page.getByRole("heading", { level: 1, name: "概要" })).toBeVisible();
    }
    try {
      // The top bar keeps the incident badge in sight.
      await expect(page.getByTestId("incident-badge")).toBeVisible();
      for (const path of await everyPage(page)) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        expect(await hasNoSidewaysScroll(page), `${path} scrolls sideways`).toBe(true);
        expect(await axeViolations(page), path).toEqual([]);
        const name = `phone-${locale}${path === "/" ? "-overview" : path.replaceAll(/[/[\]]+/g, "-").replace(/-[0-9a-f]{8}-[0-9a-f-]{27}/, "-id")}`;
        // The English overview is the README's phone picture; the rest are for looking through.
        const file = name === "phone-en-overview" ? screenshotPath("phone-overview") : `test-results/screenshots/${name}.png`;
        await page.screenshot({ path: file, fullPage: true });
      }
    } finally {
      // The language is the account's: the other suites read English.
      if (locale === "ja") {
        await page.goto("/");
        await chooseLanguage(page, "アカウント", "en");
        await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
      }
    }
  });
}

test("[phone] the sign-in page and the account menu fit too", async ({ page }) => {
  await page.goto("/login");
  expect(await hasNoSidewaysScroll(page)).toBe(true);
  await signIn(page, DEMO_OWNER);
  await page.getByRole("button", { name: "Account" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(await hasNoSidewaysScroll(page)).toBe(true);
});
