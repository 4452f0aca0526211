import { expect, test, type Page, type Response } from "@playwright/test";
import { DEMO_OWNER, DEMO_VIEWER, signIn } from "./support";

const DEMO_OPERATOR = "operator@jobboard.local";

test("[members] an admin invites a viewer, who opens the link, sets a password and sees no mutating controls", async ({ browser }) => {
  const admin = await browser.newPage();
  await signIn(admin, DEMO_OWNER);
  await admin.goto("/settings/members");
  const email = `new-viewer-${Date.now()}@jobboard.local`;

  await admin.getByLabel("Email").fill("not an email");
  await admin.getByRole("button", { name: "Invite" }).click();
  await expect(admin.locator("#email-error")).toHaveText("Enter an email address");

  await admin.getByLabel("Email").fill(email);
  await admin.getByLabel("Role", { exact: true }).selectOption("viewer");
  await admin.getByRole("button", { name: "Invite" }).click();
  await expect(admin.getByRole("status")).toContainText(`${email} is invited as a viewer`);
  const link = (await admin.getByTestId("invitation-link").textContent())!.trim();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await admin.reload();
  // Pending, not a member yet; and shown once: a reload does not bring the link back.
  await expect(admin.locator(`tr[data-invitation="${email}"]`)).toContainText("viewer");
  await expect(admin.locator(`tr[data-email="${email}"]`)).toHaveCount(0);
  await expect(admin.getByTestId("invitation-link")).toHaveCount(0);
  await admin.close();

  // Someone else's browser, never signed in here.
  const context = await browser.newContext();
  const viewer = await context.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole("heading", { level: 1, name: /^Join / })).toBeVisible();
  await expect(viewer.getByText(`This invitation is for ${email}, as a viewer.`)).toBeVisible();
  await viewer.getByLabel("Choose a password (at least 8 characters)").fill("short");
  await viewer.getByRole("button", { name: /^Join / }).click();
  await expect(viewer.locator("#password-error")).toHaveText("Use at least 8 characters.");
  await viewer.getByLabel("Choose a password (at least 8 characters)").fill("viewer-own-password");
  await viewer.getByRole("button", { name: /^Join / }).click();
  await expect(viewer.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await context.clearCookies();
  await signIn(viewer, email, "viewer-own-password");

  await viewer.goto("/jobs");
  await viewer.getByRole("link", { name: "Recap pipeline", exact: true }).click();
  await expect(viewer.getByRole("heading", { level: 1, name: "Recap pipeline" })).toBeVisible();
  for (const name of ["Rerun", "Run now", "Pause"]) await expect(viewer.getByRole("button", { name })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Edit" })).toHaveCount(0);

  await viewer.goto("/settings");
  await expect(viewer.getByText("Only admins can change workspace settings.")).toBeVisible();
  await expect(viewer.getByRole("button")).not.toContainText(["Save settings"]);
  await expect(viewer.getByLabel("Workspace name")).toHaveCount(0);
  await viewer.goto("/settings/members");
  await expect(viewer.locator(`tr[data-email="${DEMO_OWNER}"]`)).toContainText("owner");
  for (const name of ["Invite", "Change", "Remove"]) await expect(viewer.getByRole("button", { name, exact: true })).toHaveCount(0);
  await viewer.goto("/settings/keys");
  await expect(viewer.getByText("Only admins can see and manage keys.")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Create key" })).toHaveCount(0);
  await context.close();

  // Promoted, in a sentence that reads as one.
  const again = await browser.newPage();
  await signIn(again, DEMO_OWNER);
  await again.goto("/settings/members");
  const row = again.locator(`tr[data-email="${email}"]`);
  await row.getByRole("combobox").selectOption("operator");
  await row.getByRole("button", { name: "Change", exact: true }).click();
  await expect(row.getByRole("status")).toHaveText(`${email} is now an operator.`);
  await again.reload();
  await expect(again.locator(`tr[data-email="${email}"]`).getByRole("combobox")).toHaveValue("operator");
  await again.close();
});

async function report(page: Page, token: string) {
  return page.request.post("/api/monitor/job-report", {
    headers: { authorization: `Bearer ${token}` },
    data: { job_key: "key-check", title: "Key check", status: "success", finished_at: new Date().toISOString() },
  });
}

test("[keys] an admin creates a key, copies it, a report with it succeeds, and once revoked the next is refused", async ({ browser }) => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await signIn(page, DEMO_OWNER);
  await page.goto("/settings/keys");

  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.locator("#name-error")).toHaveText("Name the key (where it is used)");

  await page.getByLabel("Key name").fill("Batch server 2");
  await page.getByLabel("Scope").selectOption("report");
  await page.getByRole("button", { name: "Create key" }).click();
  const newKey = page.getByRole("status", { name: "New key" });
  await expect(newKey).toContainText("shown only once");
  const token = (await page.getByTestId("new-key").textContent())!.trim();
  expect(token).toMatch(/^jb_[A-Za-z0-9]{12}_/);
  await expect(newKey).toContainText(`Authorization: Bearer ${token}`);
  await newKey.getByRole("button", { name: "Copy key" }).click();
  await expect(newKey.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const accepted = await report(page, token);
  expect(accepted.status()).toBe(200);

  await page.reload();
  const prefix = token.split("_").slice(0, 2).join("_");
  const row = page.locator(`tr[data-prefix="${prefix}"]`);
  await expect(row).toContainText("Batch server 2");
  await expect(row).not.toContainText("never");
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await report(page, token);
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: "This ingest key has been revoked" });
  await context.close();
});

test("[secrets] the Slack webhook URL never reaches the browser, in HTML or RSC payloads", async ({ page }) => {
  const secretUrl = `https://hooks.slack.com/services/T0E2E/B0E2E/${Date.now()}SeCrEt`;
  const bodies: Array<{ url: string; body: string }> = [];
  const collect = async (response: Response) => {
    try {
      bodies.push({ url: response.url(), body: await response.text() });
    } catch {
      // redirects and aborted requests have no body
    }
  };
  page.on("response", (response) => void collect(response));

  await signIn(page, DEMO_OWNER);
  await page.goto("/settings");
  await page.getByLabel("Slack incoming webhook URL").fill("http://not-https.example");
  await page.getByRole("button", { name: "Save webhook" }).click();
  await expect(page.locator("#slackWebhookUrl-error")).toHaveText("Slack webhook URLs start with https://");
  await page.getByLabel("Slack incoming webhook URL").fill(secretUrl);
  await page.getByRole("button", { name: "Save webhook" }).click();
  await expect(page.getByText("Slack webhook saved.")).toBeVisible();
  await expect(page.getByTestId("slack-webhook-masked")).toHaveText("https://hooks.slack.com/…/••••CrEt");
  // The field the admin typed into is the only place the URL may be; a fresh render has none.
  await page.reload();
  await expect(page.getByTestId("slack-webhook-masked")).toHaveText("https://hooks.slack.com/…/••••CrEt");
  expect(await page.content()).not.toContain(secretUrl);
  // Client-side navigations fetch RSC payloads; visit the pages an admin would.
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await page.getByRole("link", { name: "General" }).click();
  await expect(page.getByTestId("slack-webhook-masked")).toBeVisible();
  await page.goto("/audit");
  await page.goto("/jobs");
  await page.getByRole("link", { name: "Recap pipeline", exact: true }).click();
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("button", { name: "Save job" })).toBeVisible();

  await page.waitForLoadState("networkidle");
  expect(bodies.length).toBeGreaterThan(5);
  // Responses only: the admin's own POST of the form carries it, as it must.
  const leaks = bodies.filter((entry) => entry.body.includes(secretUrl) || entry.body.includes("B0E2E/"));
  expect(leaks.map((entry) => entry.url)).toEqual([]);
});

test("[permissions] admin-only server actions, replayed with an operator's or a viewer's session, are refused", async ({ browser }) => {
  // Real requests an admin's browser sends, captured to be replayed under lesser roles.
  const admin = await browser.newPage();
  await signIn(admin, DEMO_OWNER);
  const captured: Array<{ name: string; url: string; headers: Record<string, string>; body: Buffer }> = [];
  const capture = async (name: string, act: () => Promise<void>) => {
    const request = admin.waitForRequest((candidate) => candidate.method() === "POST" && Boolean(candidate.headers()["next-action"]));
    await act();
    const sent = await request;
    captured.push({ name, url: sent.url(), headers: sent.headers(), body: sent.postDataBuffer()! });
  };
  await admin.goto("/settings/keys");
  await capture("create a key", async () => {
    await admin.getByLabel("Key name").fill("Replayed key");
    await admin.getByRole("button", { name: "Create key" }).click();
  });
  await expect(admin.getByTestId("new-key")).toBeVisible();
  await admin.goto("/settings/members");
  await capture("invite a member", async () => {
    await admin.getByLabel("Email").fill(`replayed-${Date.now()}@jobboard.local`);
    await admin.getByRole("button", { name: "Invite" }).click();
  });
  await expect(admin.getByTestId("invitation-link")).toBeVisible();
  await admin.goto("/settings");
  await capture("change settings", async () => {
    await admin.getByLabel("Log retention (days)").fill("9");
    await admin.getByRole("button", { name: "Save settings" }).click();
  });
  await expect(admin.getByText("Settings saved.")).toBeVisible();
  await admin.close();

  const refusals: Record<string, string> = {
    "create a key": "Only admins can create keys.",
    "invite a member": "Only admins can invite members.",
    "change settings": "Only admins can change workspace settings.",
  };
  for (const email of [DEMO_OPERATOR, DEMO_VIEWER]) {
    const page = await browser.newPage();
    await signIn(page, email);
    for (const action of captured) {
      const replay = await page.request.post(action.url, {
        headers: { "next-action": action.headers["next-action"]!, "content-type": action.headers["content-type"]!, accept: "text/x-component" },
        data: action.body,
      });
      expect(await replay.text(), `${email}: ${action.name}`).toContain(refusals[action.name]!);
    }
    await page.close();
  }

  // Nothing the replays asked for happened: the admin's own key is the only one of that name.
  const check = await browser.newPage();
  await signIn(check, DEMO_OWNER);
  await check.goto("/settings/keys");
  await expect(check.locator("tr", { hasText: "Replayed key" })).toHaveCount(1);
  await check.close();
});
