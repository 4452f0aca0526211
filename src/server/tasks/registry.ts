import type { z } from "zod";

export type TaskContext = {
  /** Aborted on timeout or cancel: a task must stop when it fires. */
  signal: AbortSignal;
  /** Reports progress, shown as the run's stage bar. */
  progress: (update: { stage?: string; stages?: string[]; percent?: number; message?: string }) => Promise<void>;
  log: (line: string) => void;
};

export type TaskOutcome = { message?: string };

export type TaskDefinition<Schema extends z.ZodType = z.ZodType> = {
  name: string;
  description: string;
  params: Schema;
  run: (params: z.infer<Schema>, context: TaskContext) => Promise<TaskOutcome | void>;
};

/** Declares a task with its parameter schema, typed end to end. */
export function defineTask<Schema extends z.ZodType>(task: TaskDefinition<Schema>): TaskDefinition<Schema> {
  return task;
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
