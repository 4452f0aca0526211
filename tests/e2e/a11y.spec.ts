import { expect, test } from "@playwright/test";
import { DEMO_OWNER, axeViolations, chooseLanguage, everyPage, signIn } from "./support";

// axe (WCAG 2 A and AA) on every page, in English and in Japanese. The phone project runs the same
// check from phone.spec.ts at 390 px.

for (const locale of ["en", "ja"] as const) {
  test(`[a11y] axe finds nothing on any page, in ${locale === "en" ? "English" : "Japanese"}`, async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, DEMO_OWNER);
    if (locale === "ja") await chooseLanguage(page, "Account", "ja");
    try {
      // Every page's findings at once, so one run shows all there is to mend.
      const found: Record<string, string[]> = {};
      for (const path of await everyPage(page)) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const violations = await axeViolations(page);
        if (violations.length > 0) found[path] = violations;
      }
      expect(found).toEqual({});
    } finally {
      if (locale === "ja") {
        await page.goto("/");
        await chooseLanguage(page, "アカウント", "en");
        await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
      }
    }
  });
}

test("[a11y] the sign-in page is clean too", async ({ page }) => {
  await page.goto("/login");
  expect(await axeViolations(page)).toEqual([]);
});
