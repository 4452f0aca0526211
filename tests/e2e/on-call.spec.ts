import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import type { Translate } from "@/lib/i18n/messages";
import { serverMessage } from "@/lib/i18n/server-messages";
import { localizeServerText } from "@/lib/i18n/server-text";
import { cronProblem } from "@/server/schedule/slots";
import { DEMO_OWNER, LANGUAGES, WEBHOOK_SECRET, inLanguage, signIn } from "./support";

// What an on-call person does, at the desktop size and on a phone (both projects run this file),
// in English and in Japanese: see a failure arrive without reloading, fix a refused form, and
// trust that an HTTP job sends what its page says.

// The pages poll every 5 s while visible: one poll, with room for a slow machine.
const ONE_POLL = { timeout: 9000 };

/** The HTTP job's target: a real server in the test process that records what it is sent. */
async function startTarget(): Promise<{ url: string; requests: Array<{ method: string; url: string; body: string }>; stop: () => Promise<void> }> {
  const requests: Array<{ method: string; url: string; body: string }> = [];
  const server: Server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    requests.push({ method: request.method ?? "", url: request.url ?? "", body });
    response.writeHead(200, { "content-type": "text/plain" }).end("exported\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/stock`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function deleteJob(page: Page, t: Translate, jobKey: string) {
  await page.getByRole("link", { name: t("job.edit") }).click();
  await page.getByLabel(t("delete.confirm", { slug: jobKey })).fill(jobKey);
  await page.getByRole("button", { name: t("deleteJob.submit") }).click();
  await expect(page.getByRole("heading", { level: 1, name: t("jobs.title") })).toBeVisible();
}

for (const { locale, name } of LANGUAGES) {
  test(`[on-call] a failing report shows on the overview, on /incidents and in the badge, without a reload, in ${name}`, async ({ page, request }, testInfo) => {
    const stamp = `${Date.now()}-${locale}-${testInfo.project.name}`;
    const jobs = [
      { key: `e2e-live-a-${stamp}`, title: `Live export A (E2E ${stamp})` },
      { key: `e2e-live-b-${stamp}`, title: `Live export B (E2E ${stamp})` },
    ];
    const report = (job: (typeof jobs)[number], status: "success" | "error", message: string) =>
      request.post("/api/monitor/job-report", {
        headers: { "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
        data: { job_key: job.key, title: job.title, status, finished_at: new Date().toISOString(), message },
      });

    await signIn(page, DEMO_OWNER);
    await inLanguage(page, locale, async (t) => {
      await page.goto("/");
      const badge = page.getByTestId("incident-badge");
      const before = Number(await badge.textContent());
      const failedThisHour = async () => Number(await page.getByTestId("runs-per-hour").getAttribute("data-failed"));
      const failedBefore = await failedThisHour();

      // The overview leads with what is broken, and the new failure arrives there with its message.
      expect((await report(jobs[0]!, "error", "disk full on /var")).status()).toBe(200);
      await expect(page.getByRole("list", { name: t("overview.brokenNow") }).locator(`[data-incident="${jobs[0]!.key}"]`)).toContainText("disk full on /var", ONE_POLL);
      await expect(badge).toHaveText(String(before + 1), ONE_POLL);
      // The hour's chart counts it too.
      expect(await failedThisHour()).toBe(failedBefore + 1);

      await page.getByRole("navigation", { name: t("nav.main") }).getByRole("link", { name: new RegExp(t("nav.incidents")) }).click();
      await expect(page.getByRole("heading", { level: 1, name: t("incidents.title") })).toBeVisible();
      expect((await report(jobs[1]!, "error", "upstream 502")).status()).toBe(200);
      const incidents = page.getByRole("list", { name: t("incidents.openList") });
      await expect(incidents.getByRole("listitem").filter({ hasText: jobs[1]!.title })).toContainText("upstream 502", ONE_POLL);
      await expect(badge).toHaveText(String(before + 2), ONE_POLL);

      // Both recover, and the page and the badge follow, still without a reload.
      for (const job of jobs) expect((await report(job, "success", "ok")).status()).toBe(200);
      await expect(incidents.getByRole("listitem").filter({ hasText: jobs[1]!.title })).toHaveCount(0, ONE_POLL);
      await expect(badge).toHaveText(String(before), ONE_POLL);
    });
  });

  test(`[on-call] a refused job form lists every problem at once and focuses the first, in ${name}`, async ({ page }) => {
    await signIn(page, DEMO_OWNER);
    await inLanguage(page, locale, async (t) => {
      await page.goto("/jobs/new");
      await page.getByLabel(t("form.title"), { exact: true }).fill("Duplicate of the sales export");
      await page.getByLabel(t("form.key"), { exact: true }).fill("sales-report-export");
      await page.locator("#kind").selectOption("reported");
      await page.getByLabel(t("form.scheduleType"), { exact: true }).selectOption("cron");
      await page.getByLabel(t("form.cron"), { exact: true }).fill("0 25 * * *");
      await page.getByRole("button", { name: t("form.create") }).click();
      const summary = page.getByTestId("form-error-summary");
      // The taken key and the impossible hour, in one round, each linking to its field.
      await expect(summary.getByRole("link")).toHaveCount(2);
      expect((await summary.getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).sort()).toEqual(["#cron", "#jobKey"]);
      await expect(page.locator("#jobKey")).toBeFocused();
      // Each in the page's language, under its own field.
      await expect(page.locator("#jobKey-error")).toHaveText(serverMessage("jobs.keyTaken", locale));
      await expect(page.locator("#cron-error")).toHaveText(localizeServerText(cronProblem("0 25 * * *", "Asia/Tokyo")!, locale));
      await expect(page.locator("#timezone-error")).toHaveCount(0);
    });
  });

  test(`[on-call] a GET job sends its parameters as the query string its page shows, in ${name}`, async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    const target = await startTarget();
    const jobKey = `e2e-get-${locale}-${testInfo.project.name}-${Date.now()}`;
    try {
      await signIn(page, DEMO_OWNER);
      await inLanguage(page, locale, async (t) => {
        await page.goto("/jobs/new");
        await page.getByLabel(t("form.title"), { exact: true }).fill(`Stock export ${jobKey}`);
        await page.getByLabel(t("form.key"), { exact: true }).fill(jobKey);
        await page.locator("#kind").selectOption("http");
        await page.getByLabel(t("form.method"), { exact: true }).selectOption("GET");
        await page.getByLabel(t("form.url"), { exact: true }).fill(target.url);
        await page.getByLabel(t("form.defaultParams")).fill('{"since": "2026-11-30 00:00", "warehouse": "kawasaki"}');
        await page.getByRole("button", { name: t("form.create") }).click();
        await expect(page.getByRole("heading", { level: 1, name: `Stock export ${jobKey}` })).toBeVisible();
        const sent = `${target.url}?since=2026-11-30+00%3A00&warehouse=kawasaki`;
        await expect(page.getByTestId("http-target")).toContainText(`GET ${sent}`);
        // Before any run there is nothing to rerun, and one primary way to start one.
        await expect(page.getByRole("button", { name: t("job.rerun") })).toHaveCount(0);
        await expect(page.getByRole("button", { name: t("job.runWithParams") })).toBeVisible();

        await page.getByRole("button", { name: t("job.runNow") }).click();
        await expect.poll(() => target.requests.length, { timeout: 20_000 }).toBe(1);
        expect(target.requests[0]).toEqual({ method: "GET", url: "/exports/stock?since=2026-11-30+00%3A00&warehouse=kawasaki", body: "" });
        await expect(page.locator("table tbody tr").first()).toContainText(t("status.succeeded"), { timeout: 15_000 });
        await deleteJob(page, t, jobKey);
      });
    } finally {
      await target.stop();
    }
  });
}
