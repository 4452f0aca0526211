import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { DEMO_OWNER, DEMO_VIEWER, WEBHOOK_SECRET, signIn } from "./support";

test("[report-api] a seed 003 script's failure report opens an incident in the app, and its success resolves it", async ({ page, request }) => {
  const jobKey = `e2e-${Date.now()}`;
  const report = (status: "success" | "error", message: string) =>
    request.post("/api/monitor/job-report", {
      headers: { "Content-Type": "application/json; charset=utf-8", "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
      data: { job_key: jobKey, title: "売上レポート (E2E)", status, finished_at: new Date().toISOString(), message },
    });

  await signIn(page, DEMO_OWNER);
  const badge = page.getByTestId("incident-badge");
  const before = Number(await badge.textContent());

  const failed = await report("error", "接続がリセットされました");
  expect(failed.status()).toBe(200);
  expect(await failed.json()).toMatchObject({ success: true, job_key: jobKey });

  await page.goto("/incidents");
  const incident = page.getByRole("list", { name: "Open incidents" }).getByRole("listitem").filter({ hasText: "売上レポート (E2E)" });
  await expect(incident).toContainText("Failing");
  await expect(incident).toContainText("接続がリセットされました");
  await expect(badge).toHaveText(String(before + 1));

  expect((await report("success", "ok")).status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("list", { name: "Open incidents" }).getByRole("listitem").filter({ hasText: "売上レポート (E2E)" })).toHaveCount(0);
  await expect(badge).toHaveText(String(before));
});

test("[report-api] the route answers wrong methods and secrets without a session", async ({ request }) => {
  const get = await request.get("/api/monitor/job-report", { maxRedirects: 0 });
  expect(get.status()).toBe(405);
  expect(get.headers()["allow"]).toBe("POST");

  const wrong = await request.post("/api/monitor/job-report", {
    headers: { "X-TC-Portal-Webhook-Secret": "nope" },
    data: { job_key: "k", title: "t", status: "success", finished_at: new Date().toISOString() },
  });
  expect(wrong.status()).toBe(401);
  expect(await wrong.json()).toEqual({ error: "Invalid or missing webhook secret" });

  const script = await request.get("/jobboard_report.py", { maxRedirects: 0 });
  expect(script.status()).toBe(200);
  expect(await script.text()).toContain("def report_job_status(");
});

test("[pings] a job's ping URL, copied from its page, works from curl: a failure opens an incident and its output is the run's log", async ({ browser, request }) => {
  const jobKey = `e2e-ping-${Date.now()}`;
  const created = await request.post("/api/monitor/job-report", {
    headers: { "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
    data: { job_key: jobKey, title: "Ping backup (E2E)", status: "success", finished_at: new Date().toISOString() },
  });
  expect(created.status()).toBe(200);
  const { id } = (await created.json()) as { id: string };

  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await signIn(page, DEMO_OWNER);
  await page.goto(`/jobs/${id}`);
  const ping = page.getByRole("region", { name: "Ping URL" });
  await expect(ping.getByTestId("ping-url")).toHaveText(/\/ping\/[0-9a-f-]{36}$/);
  await ping.getByRole("button", { name: "Copy URL" }).click();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toBe((await ping.getByTestId("ping-url").textContent())!.trim());
  await expect(ping).toContainText(`runitor -api-url`);

  // The script's side: curl, as the snippet on the page runs it.
  const curl = promisify(execFile);
  const started = await curl("curl", ["-fsS", "-m", "10", `${url}/start`]);
  expect(started.stdout).toBe("OK");
  const failed = await curl("curl", ["-fsS", "-m", "10", "--data-binary", "rsync: connection unexpectedly closed", `${url}/23`]);
  expect(failed.stdout).toBe("OK");

  await page.goto("/incidents");
  const incident = page.getByRole("list", { name: "Open incidents" }).getByRole("listitem").filter({ hasText: "Ping backup (E2E)" });
  await expect(incident).toContainText("Failing");
  await expect(incident).toContainText("rsync: connection unexpectedly closed");

  // The next run succeeds: the incident resolves, and the demo workspace is as it was.
  expect((await curl("curl", ["-fsS", "-m", "10", url])).stdout).toBe("OK");
  await page.reload();
  await expect(incident).toHaveCount(0);

  // The page's `jobboard run` lines, copied and run by a shell as they are (the key filled in):
  // the CLI comes from this server, and the wrapped command's run lands on this job.
  await page.goto(`/jobs/${id}`);
  // The run history is the page's first table; the alert log's comes after it.
  const rows = page.locator("table").first().locator("tbody tr");
  const runsBefore = await rows.count();
  await ping.getByRole("button", { name: "Copy jobboard run" }).click();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toContain("/jobboard.mjs");
  const dir = await mkdtemp(path.join(tmpdir(), "jobboard-snippet-"));
  try {
    const script = snippet.replace("<report key>", WEBHOOK_SECRET).replace("./backup.sh", "echo nightly backup done");
    await promisify(execFile)("sh", ["-c", script], { cwd: dir, timeout: 60_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await page.reload();
  await expect(rows).toHaveCount(runsBefore + 1);
  await expect(rows.first()).toContainText("Succeeded");
  await context.close();

  // The URL lets its holder report: a viewer's page does not carry it.
  const viewer = await browser.newPage();
  await signIn(viewer, DEMO_VIEWER);
  await viewer.goto(`/jobs/${id}`);
  await expect(viewer.getByRole("heading", { name: "Ping backup (E2E)" })).toBeVisible();
  await expect(viewer.getByRole("region", { name: "Ping URL" })).toHaveCount(0);
  expect(await viewer.content()).not.toContain(url.split("/ping/")[1]!);
  await viewer.close();
});

test("[rules] with a failure threshold of 3, the incident opens only at the third failure in a row", async ({ page, request }) => {
  const jobKey = `e2e-threshold-${Date.now()}`;
  const report = (status: "success" | "error", message: string) =>
    request.post("/api/monitor/job-report", {
      headers: { "X-TC-Portal-Webhook-Secret": WEBHOOK_SECRET },
      data: { job_key: jobKey, title: "Flaky export (E2E)", status, finished_at: new Date().toISOString(), message },
    });
  const created = await report("success", "ok");
  const { id } = (await created.json()) as { id: string };

  await signIn(page, DEMO_OWNER);
  await page.goto(`/jobs/${id}/edit`);
  await page.getByLabel("Failures before an incident").fill("3");
  await page.getByRole("button", { name: "Save job" }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(page.locator("dl").first()).toContainText("3 / 1");

  const incident = () => page.getByRole("list", { name: "Open incidents" }).getByRole("listitem").filter({ hasText: "Flaky export (E2E)" });
  for (const attempt of [1, 2]) {
    expect((await report("error", `failure ${attempt}`)).status()).toBe(200);
    await page.goto("/incidents");
    await expect(incident()).toHaveCount(0);
  }
  expect((await report("error", "failure 3")).status()).toBe(200);
  await page.goto("/incidents");
  await expect(incident()).toContainText("failure 3");
  await page.goto("/audit");
  await expect(page.locator("main")).toContainText("failure_threshold");
  // The entry names the job by its title, links to it, and the target menu offers it by name.
  const edit = page.locator('tr[data-action="job.updated"]').filter({ hasText: "Flaky export (E2E)" }).first();
  await expect(edit.getByRole("link", { name: "Flaky export (E2E)" })).toHaveAttribute("href", `/jobs/${id}`);
  await page.locator('select[name="target_id"]').selectOption({ label: "Flaky export (E2E) (job)" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.locator("tr[data-action]")).not.toHaveCount(0);
  for (const row of await page.locator("tr[data-action]").all()) await expect(row).toContainText("Flaky export (E2E)");

  // With the recovery threshold left at 1, one success resolves it (and leaves the demo as it was).
  expect((await report("success", "ok again")).status()).toBe(200);
  await page.goto("/incidents");
  await expect(incident()).toHaveCount(0);
});
