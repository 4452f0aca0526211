import type { Env } from "@/lib/env";

/**
 * The Inngest dev server takes events and calls functions without any signing key: in
 * production that would let anyone who reaches it run jobs. Exits before anything is served:
 * Next only logs an error thrown from instrumentation and would serve on regardless. (Kept out
 * of instrumentation.ts itself, which is also compiled for the edge runtime.)
 */
export function refuseInngestDevInProduction(env: Env): void {
  if (env.NODE_ENV === "production" && env.INNGEST_DEV === "1" && env.JOBBOARD_ALLOW_INNGEST_DEV !== "1") {
    console.error("INNGEST_DEV=1 is refused in production (set JOBBOARD_ALLOW_INNGEST_DEV=1 to run it anyway).");
    process.exit(1);
  }
}
