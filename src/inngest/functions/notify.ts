import { getSql } from "@/server/db/client";
import { deliverPendingAlerts } from "@/server/notify/deliver";
import { inngest } from "../client";
import { EVENTS } from "../events";

/**
 * Delivers the alert outbox after something wrote to it. One delivery at a time: each run takes
 * every pending row, so a burst of reports needs one, not one each. A Slack failure leaves the
 * row pending with a backoff, and the schedule tick sweeps it.
 */
export const deliverAlerts = inngest.createFunction(
  { id: "deliver-alerts", retries: 3, concurrency: { limit: 1 }, triggers: [{ event: EVENTS.alertsQueued }] },
  async ({ step }) => {
    const result = await step.run("deliver", async () => deliverPendingAlerts(await getSql()));
    return { sent: result.sent, retrying: result.retrying, skipped: result.skipped, failed: result.failed };
  },
);
