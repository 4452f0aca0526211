import type { Sql } from "@/server/db/sql";
import { withService } from "@/server/db/transactions";
import { createTestDatabase, type TestDatabase } from "./database";
import { seedUser, seedWorkspace } from "./fixtures";
import { startTargetServer } from "./target-server";

/**
 * A real HTTP server standing in for Slack's incoming webhook, set as the workspace's webhook:
 * what the outbox delivers lands in `messages`, in order.
 */
export async function startSlackFor(sql: Sql, workspaceId: string) {
  const messages: Array<{ text: string }> = [];
  const server = await startTargetServer({
    "/slack": (_req, res, body) => {
      messages.push(JSON.parse(body) as { text: string });
      res.writeHead(200).end("ok");
    },
  });
  await withService(sql, (tx) => tx`
    insert into workspace_secrets (workspace_id, slack_webhook_url) values (${workspaceId}, ${`${server.url}/slack`})`);
  return {
    messages,
    /** The messages whose context names this job key. */
    about: (jobKey: string) => messages.filter((message) => JSON.stringify(message).includes(`\`${jobKey}\``)),
    close: () => server.close(),
  };
}

export type SlackStandIn = Awaited<ReturnType<typeof startSlackFor>>;

/** A database of its own with one workspace whose Slack webhook is a stand-in. */
export async function slackWorkspace(name: string): Promise<{ db: TestDatabase; workspaceId: string; slack: SlackStandIn; close: () => Promise<void> }> {
  const db = await createTestDatabase();
  const owner = await seedUser(db.sql, "owner");
  const workspaceId = (await seedWorkspace(db.sql, owner, name)).id;
  const slack = await startSlackFor(db.sql, workspaceId);
  const close = async () => {
    await slack.close();
    await db.close();
  };
  return { db, workspaceId, slack, close };
}
