import { getEnv, isDemoSeeded, isEmbeddedDatabase } from "@/lib/env";
import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { DEMO_WORKSPACE_SLUG } from "../demo/names";
import { localSecret } from "../local-secret";
import type { ReporterConfig } from "./authenticate";
import { REPORT_LIMITS } from "./limits";

/**
 * The shared webhook secret and its workspace. In the embedded default a secret is generated
 * (and printed at start-up) so the first report works with no set-up, into the demo workspace.
 */
export async function getReporterConfig(): Promise<ReporterConfig & { maxReportedJobs: number }> {
  const env = getEnv();
  const isDemo = isEmbeddedDatabase(env) && isDemoSeeded(env);
  const webhookSecret = env.JOBBOARD_WEBHOOK_SECRET ?? (isEmbeddedDatabase(env) ? await localSecret("webhook-secret") : undefined);
  return {
    webhookSecret,
    defaultWorkspace: env.JOBBOARD_DEFAULT_WORKSPACE ?? (isDemo ? DEMO_WORKSPACE_SLUG : undefined),
    maxReportedJobs: env.JOBBOARD_MAX_REPORTED_JOBS ?? REPORT_LIMITS.reportedJobsPerWorkspace,
  };
}

export type SharedSecretTarget = { name: string; slug: string; isConfigured: boolean; workspaces: number };

/**
 * The workspace the shared secret's reports go to, asked of the database's own rule
 * (private.report_sender), so what start-up says is what a report does. Null when there is no
 * secret, or no such workspace.
 */
export async function sharedSecretTarget(sql: Sql, config: ReporterConfig): Promise<SharedSecretTarget | null> {
  if (!config.webhookSecret) return null;
  const sender = { workspace: { slug: config.defaultWorkspace ?? null } };
  const [row] = await withService(sql, (tx) => tx<{ name: string | null; slug: string | null; workspaces: number }[]>`
    with sender as (select private.report_sender(${tx.json(sender)}) as answer)
    select w.name, w.slug, (select count(*)::int from workspaces) as workspaces
    from sender left join workspaces w on w.id = (sender.answer->>'workspace_id')::uuid`);
  if (!row?.name || !row.slug) return null;
  return { name: row.name, slug: row.slug, isConfigured: Boolean(config.defaultWorkspace), workspaces: row.workspaces };
}

/** The start-up line that says where the shared secret reports go, where that could surprise. */
export function sharedSecretNotice(target: SharedSecretTarget | null): string | null {
  if (!target || target.isConfigured || target.workspaces < 2) return null;
  return `Reports with the shared webhook secret go to workspace "${target.name}" (${target.slug}), the first one made; set JOBBOARD_DEFAULT_WORKSPACE to choose another.`;
}
