import { getEnv, isEmbeddedDatabase } from "@/lib/env";
import { localSecret } from "../local-secret";
import type { ReporterConfig } from "./authenticate";
import { REPORT_LIMITS } from "./limits";

/**
 * The shared webhook secret and its workspace. In the embedded default a secret is generated
 * (and printed at start-up) so the first report works with no set-up, into the demo workspace.
 */
export async function getReporterConfig(): Promise<ReporterConfig & { maxReportedJobs: number }> {
  const env = getEnv();
  const webhookSecret =
    env.JOBBOARD_WEBHOOK_SECRET ?? (isEmbeddedDatabase(env) ? await localSecret("webhook-secret") : undefined);
  return {
    webhookSecret,
    defaultWorkspace: env.JOBBOARD_DEFAULT_WORKSPACE,
    maxReportedJobs: env.JOBBOARD_MAX_REPORTED_JOBS ?? REPORT_LIMITS.reportedJobsPerWorkspace,
  };
}
