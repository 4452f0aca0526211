import { getSql } from "@/server/db/client";
import { notifyMissed, notifyRunFinished } from "@/server/notify/service";
import { inngest } from "../client";
import { EVENTS, jobMissedSchema, runFinishedSchema } from "../events";

/** Slack, per the job's notify policy, when a run finishes. A Slack failure never touches the run. */
export const notifyOnRunFinished = inngest.createFunction(
  { id: "notify-run-finished", retries: 3, triggers: [{ event: EVENTS.runFinished }] },
  async ({ event, step }) => {
    const parsed = runFinishedSchema.safeParse(event.data);
    if (!parsed.success) return { skipped: "malformed event" };
    const sent = await step.run("post-to-slack", async () => notifyRunFinished(await getSql(), parsed.data));
    return { sent };
  },
);

/** Slack when a scheduled job misses its run. */
export const notifyOnJobMissed = inngest.createFunction(
  { id: "notify-job-missed", retries: 3, triggers: [{ event: EVENTS.jobMissed }] },
  async ({ event, step }) => {
    const parsed = jobMissedSchema.safeParse(event.data);
    if (!parsed.success) return { skipped: "malformed event" };
    const sent = await step.run("post-to-slack", async () =>
      notifyMissed(await getSql(), { ...parsed.data, dueAt: new Date(parsed.data.dueAt) }),
    );
    return { sent };
  },
);
