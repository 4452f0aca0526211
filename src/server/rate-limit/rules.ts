import { getEnv } from "@/lib/env";
import type { RateRule } from "./limiter";

// Sign-in counts failures only (a success takes its hit back): a person who mistypes a few
// times is not locked out, a guesser is, whatever the password they try next. The hard limit
// is per account *and* address, so nobody elsewhere can lock the owner out; the account as a
// whole is only slowed down (src/server/auth/sign-in-limits.ts).
export const SIGN_IN_PER_ACCOUNT_AND_ADDRESS: RateRule = { name: "sign-in:account-address", limit: 10, windowSeconds: 15 * 60 };
export const SIGN_IN_PER_ADDRESS: RateRule = { name: "sign-in:address", limit: 50, windowSeconds: 15 * 60 };
export const SIGN_UP_PER_ADDRESS: RateRule = { name: "sign-up:address", limit: 10, windowSeconds: 60 * 60 };
export const INVITES_PER_WORKSPACE: RateRule = { name: "invite:workspace", limit: 50, windowSeconds: 60 * 60 };
export const READ_API_PER_KEY: RateRule = { name: "read-api:key", limit: 600, windowSeconds: 60 };
// Agent API callers without a valid token, per address: a token is never guessed by brute force.
export const AGENT_UNAUTHENTICATED_PER_ADDRESS: RateRule = { name: "agent:unauthenticated", limit: 30, windowSeconds: 60 };
export const BADGES_PER_ADDRESS: RateRule = { name: "badge:address", limit: 600, windowSeconds: 60 };

/**
 * Reports per key and minute. Cron jobs start together at the top of the hour, so the default
 * (600) leaves room for a burst of hundreds of jobs on one key.
 */
export function reportsPerKey(): RateRule {
  return { name: "report:key", limit: getEnv().JOBBOARD_RATE_REPORTS_PER_MINUTE ?? 600, windowSeconds: 60 };
}
