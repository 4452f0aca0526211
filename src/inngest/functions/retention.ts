import { getSql } from "@/server/db/client";
import { trimOldLogs } from "@/server/retention";
import { inngest } from "../client";

/** Daily: drop logs and stderr past each workspace's retention; runs and statuses stay. */
export const retention = inngest.createFunction(
  { id: "retention", retries: 2, triggers: [{ cron: "TZ=UTC 30 3 * * *" }] },
  async ({ step }) => {
    const trimmed = await step.run("trim-old-logs", async () => trimOldLogs(await getSql(), new Date()));
    return { trimmed };
  },
);
