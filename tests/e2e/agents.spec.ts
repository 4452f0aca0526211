import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { screenshotPath } from "./support";

/** `jobboard agent` from the built bundle, as a real process beside the app. */
function startAgent(configPath: string, hubUrl: string, token: string, home: string): ChildProcess {
  return spawn(process.execPath, [path.resolve("dist/jobboard.mjs"), "agent", "--config", configPath], {
    env: { PATH: process.env.PATH, HOME: home, JOBBOARD_HUB_URL: hubUrl, JOBBOARD_AGENT_TOKEN: token, JOBBOARD_SPOOL_DIR: path.join(home, "spool") } as unknown as NodeJS.ProcessEnv,
    stdio: "ignore",
  });
}

const agentRow = (page: Page) => page.locator("tr[data-agent='e2e-node']");
const runHeader = (page: Page) => page.getByRole("main").locator("header");

test("[agents] a script job reruns on its agent with edited parameters, streams its log, obeys Cancel, and the agent can be drained", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const dir = await mkdtemp(path.join(tmpdir(), "jobboard-e2e-agent-"));
  const release = path.join(dir, "release");
  let agent: ChildProcess | undefined;
  try {
    // A workspace of its own: what this test runs (and any failure) stays out of the demo's counts.
    await page.goto("/signup");
    await page.getByLabel("Email").fill(`agents-${Date.now()}@example.test`);
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByLabel("Workspace name").fill("GPU nodes");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.goto("/settings/agents");
    await page.getByLabel("Name").fill("e2e-node");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-agent-token").textContent())!.trim();
    expect(token).toMatch(/^jba_/);

    const configPath = path.join(dir, "agent.json");
    await writeFile(configPath, JSON.stringify({
      jobs: {
        "train-model": {
          title: "Train model",
          command: ["sh", "-c", 'echo "params $JOBBOARD_PARAMS"; echo "epoch 1/3"; while [ ! -f "$RELEASE" ]; do sleep 0.2; done; echo "epoch 3/3 done"'],
          env: { RELEASE: release },
        },
        "long-sleep": { title: "Long sleep", command: ["sh", "-c", "echo sleeping for 300 s; exec sleep 300"] },
      },
    }));
    agent = startAgent(configPath, baseURL!, token, dir);

    // It appears online; drained, it holds back what is queued, so the queue can be seen.
    await page.goto("/agents");
    await expect(agentRow(page)).toContainText("Online", { timeout: 20_000 });
    await agentRow(page).getByRole("button", { name: "Drain" }).click();
    await expect(agentRow(page)).toContainText("Drained");

    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("link", { name: "Train model", exact: true }).click();
    await expect(page.getByText("Runs where its script lives, on the agent")).toBeVisible();
    // No run yet, so nothing to rerun: the same dialog runs it with other parameters.
    await expect(page.getByRole("button", { name: "Rerun" })).toHaveCount(0);
    await page.getByRole("button", { name: "Run with parameters…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Parameters (JSON)").fill('{"epochs": 3, "lr": 0.01}');
    await dialog.getByRole("button", { name: "Queue run" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(runHeader(page).getByText("Queued", { exact: true })).toBeVisible();
    const runUrl = page.url();

    await page.goto("/agents");
    await agentRow(page).getByRole("button", { name: "Resume" }).click();
    await expect(agentRow(page)).not.toContainText("Drained");
    // While it runs, the Agents page shows it as the agent's current run.
    await expect(agentRow(page).getByRole("link", { name: "Train model" })).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("agents"), fullPage: true });

    await page.goto(runUrl);
    await expect(runHeader(page).getByText("Running", { exact: true })).toBeVisible();
    // The live tail, sent by heartbeats while the command runs.
    await expect(page.getByText("epoch 1/3")).toBeVisible({ timeout: 15_000 });
    const log = page.locator("pre").filter({ hasText: "epoch 1/3" });
    await expect(log).toContainText('"epochs":3');
    await expect(log).toContainText('"lr":0.01');
    await writeFile(release, "go");
    await expect(runHeader(page).getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText("epoch 3/3 done")).toBeVisible();
    await expect(page.getByTestId("run-params")).toContainText('"lr": 0.01');

    // Another run is canceled from its page: the agent ends the process.
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("link", { name: "Long sleep", exact: true }).click();
    await page.getByRole("button", { name: "Run now" }).click();
    await page.locator("table tbody tr").first().getByRole("link").first().click();
    await expect(runHeader(page).getByText("Running", { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(page.locator("pre").filter({ hasText: "sleeping for 300 s" })).toBeVisible({ timeout: 15_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    // Asked in the app's own dialog, in plain words, not the browser's confirm.
    const asked = page.getByRole("dialog", { name: "Cancel this run?" });
    await expect(asked.getByRole("button", { name: "Keep running" })).toBeVisible();
    await asked.getByRole("button", { name: "Cancel run" }).click();
    await expect(runHeader(page).getByText("Canceled", { exact: true })).toBeVisible({ timeout: 15_000 });

    await page.goto("/agents");
    await expect(agentRow(page)).toContainText("idle", { timeout: 15_000 });
    await expect(agentRow(page)).toContainText("Online");
  } finally {
    agent?.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
});
