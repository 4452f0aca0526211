import { getEnv, isEmbeddedDatabase } from "@/lib/env";
import { parseEgressAllow, type EgressPolicy } from "./policy";

export { EgressRefused, guardedRequest, type GuardedResponse, type Resolver } from "./request";
export { parseEgressAllow, type EgressPolicy } from "./policy";
export { slackWebhookProblem } from "./slack-url";

/**
 * The policy in force: JOBBOARD_EGRESS_ALLOW, and loopback only in the embedded development
 * default (`npm run dev`), where the targets a developer tries are on the same machine.
 */
export function egressPolicy(): EgressPolicy {
  const env = getEnv();
  return parseEgressAllow(env.JOBBOARD_EGRESS_ALLOW, isLoopbackEgressAllowed());
}

export function isLoopbackEgressAllowed(): boolean {
  const env = getEnv();
  return env.NODE_ENV !== "production" && isEmbeddedDatabase(env);
}
