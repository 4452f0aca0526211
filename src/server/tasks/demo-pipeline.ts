import { z } from "zod";
import { defineTask, sleep } from "./registry";

export const PIPELINE_STAGES = ["Fetch", "Preprocess", "Dedup", "Genre", "Select", "Evidence", "Dispatch", "Persist"];

/** Seed 002's pipeline, walked stage by stage with progress: for trying the run loop out. */
export const demoPipeline = defineTask({
  name: "demo-pipeline",
  description: "Walks seed 002's eight stages (Fetch → … → Persist), reporting progress; can fail at a stage.",
  params: z
    .object({
      step_ms: z.number().int().min(0).max(60_000).default(500),
      fail_at: z.enum(PIPELINE_STAGES as [string, ...string[]]).optional(),
    })
    .strict(),
  async run(params, { signal, progress, log }) {
    for (const [index, stage] of PIPELINE_STAGES.entries()) {
      await progress({ stages: PIPELINE_STAGES, stage, percent: Math.round((index / PIPELINE_STAGES.length) * 100) });
      log(`stage ${stage}`);
      await sleep(params.step_ms, signal);
      if (params.fail_at === stage) throw new Error(`${stage} failed (asked to by fail_at)`);
    }
    await progress({ stage: "Persist", percent: 100 });
    return { message: `All ${PIPELINE_STAGES.length} stages done` };
  },
});
