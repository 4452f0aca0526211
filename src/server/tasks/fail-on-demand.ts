import { z } from "zod";
import { defineTask, sleep } from "./registry";

/** Succeeds or fails as its parameters say: for trying alerts, retries and incidents. */
export const failOnDemand = defineTask({
  name: "fail-on-demand",
  description: "Waits, then fails with the given message when should_fail is true, else succeeds.",
  params: z
    .object({
      should_fail: z.boolean().default(true),
      message: z.string().max(500).default("Failed on demand"),
      wait_ms: z.number().int().min(0).max(600_000).default(0),
    })
    .strict(),
  async run(params, { signal }) {
    await sleep(params.wait_ms, signal);
    if (params.should_fail) throw new Error(params.message);
    return { message: "Succeeded on demand" };
  },
});
