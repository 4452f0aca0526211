import { getSql } from "@/server/db/client";
import { trimOldLogs, trimOldRuns } from "@/server/retention";
import { inngest } from "../client";

/** A step stops starting batches after this long, well inside one serverless request. */
const STEP_BUDGET_MS = 60_000;

/**
 * Daily: deletes runs past each workspace's run history, then drops logs and stderr past its
 * log retention. A large backlog takes as many steps as it needs, each carrying on where the
 * last stopped.
 */
export const retention = inngest.createFunction(
  { id: "retention", retries: 2, triggers: [{ cron: "TZ=UTC 30 3 * * *" }] },
  async ({ step }) => {
    let runsDeleted = 0;
    for (let part = 1; ; part++) {
      const trim = await step.run(`trim-old-runs-${part}`, async () =>
        trimOldRuns(await getSql(), new Date(), { budgetMs: STEP_BUDGET_MS }),
      );
      runsDeleted += trim.deleted;
      if (trim.done) break;
    }
    const logsTrimmed = await step.run("trim-old-logs", async () => trimOldLogs(await getSql(), new Date()));
    return { runsDeleted, logsTrimmed };
  },
);
