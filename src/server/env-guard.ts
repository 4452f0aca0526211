import { getEnv, type Env } from "@/lib/env";

/**
 * The environment, or an exit before anything is served: with a value it refuses, the server
 * would start and answer 500 to every page and report, saying why only in its log. One line
 * names each variable and what is wrong with it; no stack. (Kept out of instrumentation.ts,
 * which is also compiled for the edge runtime.)
 */
export function environmentOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    console.error(`${(error as Error).message}. Jobboard does not start until it is fixed.`);
    process.exit(1);
  }
}
