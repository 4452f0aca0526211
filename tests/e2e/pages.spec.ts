import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER, LANGUAGES, axeViolations, everyPage, inLanguage, screenshotPath, signIn } from "./support";

// Every page, at the desktop size (the "chromium" project) and at a phone's 390×844 (the "phone"
// project), in English and in Japanese: it fits the screen's width (tables scroll inside their
// card, never the page), axe (WCAG 2 A and AA) finds nothing, and it is saved as a screenshot.

async function hasNoSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

const screenshotName = (size: string, locale: string, path: string) =>
  `${size}-${locale}${path === "/" ? "-overview" : path.replaceAll(/[/[\]]+/g, "-").replace(/-[0-9a-f]{8}-[0-9a-f-]{27}/, "-id")}`;

for (const { locale, name } of LANGUAGES) {
  test(`[pages] every page fits the screen and axe finds nothing, in ${name}`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const size = testInfo.project.name === "phone" ? "phone" : "desktop";
    await signIn(page, DEMO_OWNER);
    await inLanguage(page, locale, async () => {
      // The incident badge stays in sight: in the sidebar, or in a phone's top bar.
      await expect(page.getByTestId("incident-badge")).toBeVisible();
      // Every page's findings at once, so one run shows all there is to mend.
      const found: Record<string, string[]> = {};
      for (const path of await everyPage(page)) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const problems = [...(await hasNoSidewaysScroll(page) ? [] : ["scrolls sideways"]), ...(await axeViolations(page))];
        if (problems.length > 0) found[path] = problems;
        const shot = screenshotName(size, locale, path);
        // The English phone overview is the README's phone picture; the rest are for looking through.
        await page.screenshot({ path: shot === "phone-en-overview" ? screenshotPath("phone-overview") : `test-results/screenshots/${shot}.png`, fullPage: true });
      }
      expect(found).toEqual({});
    });
  });
}

test("[pages] the sign-in page and the account menu fit and are clean too", async ({ page }) => {
  await page.goto("/login");
  expect(await hasNoSidewaysScroll(page)).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await signIn(page, DEMO_OWNER);
  // On a phone the account block folds behind a button; on a desktop it is always shown.
  const menu = page.getByRole("button", { name: "Account" });
  if (await menu.isVisible()) await menu.click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(await hasNoSidewaysScroll(page)).toBe(true);
});
