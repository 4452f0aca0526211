// Makes an agent token for automation (provisioning a fleet): prints the token alone on stdout.
// Usage: npm run agent:token -- --workspace <slug> --name <name>
import { parseArgs } from "node:util";
import { createAgentToken } from "@/server/agents/admin";
import { getDatabase } from "@/server/db/client";
import { withService } from "@/server/db/transactions";
import { isAppError } from "@/server/errors";

function usage(problem: string): never {
  process.stderr.write(`agent:token: ${problem}\nUsage: npm run agent:token -- --workspace <slug> --name <name>\n`);
  process.exit(2);
}

async function main() {
  let values: { workspace?: string; name?: string };
  try {
    ({ values } = parseArgs({ options: { workspace: { type: "string" }, name: { type: "string" } }, strict: true }));
  } catch (error) {
    usage((error as Error).message);
  }
  const slug = values.workspace?.trim();
  const name = values.name?.trim();
  if (!slug) usage("--workspace is required");
  if (!name) usage("--name is required");
  if (name.length > 100) usage("--name must be at most 100 characters");

  const { sql } = await getDatabase();
  try {
    const token = await withService(sql, async (tx) => {
      const [workspace] = await tx<{ id: string }[]>`select id from workspaces where slug = ${slug}`;
      if (!workspace) return null;
      return createAgentToken(tx, { workspaceId: workspace.id, name, actor: { userId: null, email: "npm run agent:token" } });
    });
    if (!token) {
      process.stderr.write(`agent:token: no workspace with the slug "${slug}"\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`Agent "${name}" created in ${slug}. Its token (shown once):\n`);
    process.stdout.write(`${token.token}\n`);
  } catch (error) {
    process.stderr.write(`agent:token: ${isAppError(error) ? error.message : (error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

void main().then(() => process.exit());
