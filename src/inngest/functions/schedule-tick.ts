import { getSql } from "@/server/db/client";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { runScheduleTick } from "@/server/schedule/tick";
import { inngest } from "../client";
import { runRequested } from "@/server/events";

/** Every minute: queue due runs, re-dispatch stuck ones, mark missed jobs, time out stuck runs, deliver alerts. */
export const scheduleTick = inngest.createFunction(
  { id: "schedule-tick", retries: 1, triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const sql = await getSql();
    const result = await step.run("tick", async () => {
      const toDispatch: Array<{ id: string; workspaceId: string }> = [];
      const tick = await runScheduleTick(sql, new Date(), async (run) => {
        toDispatch.push(run);
      }, "inngest");
      return { ...tick, toDispatch };
    });
    if (result.toDispatch.length > 0) {
      await step.sendEvent(
        "dispatch",
        result.toDispatch.map(runRequested),
      );
    }
    // The tick's own alerts and any still pending after an outage: the outbox's sweep.
    await step.run("deliver-alerts", async () => deliverPendingAlerts(sql));
    return { queued: result.queued.length, redispatched: result.redispatched, missed: result.missed.length, timedOut: result.timedOut.length, stalled: result.stalled.length, reminded: result.reminded };
  },
);
