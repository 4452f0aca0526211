import type { Db } from "../db/sql";
import { digestKey, hitRateLimit, refundRateLimit } from "../rate-limit/limiter";
import { SIGN_IN_PER_ACCOUNT_AND_ADDRESS, SIGN_IN_PER_ADDRESS } from "../rate-limit/rules";

/** Failures an account takes in a window before attempts from new addresses are slowed. */
export const SIGN_IN_SLOWDOWN = { freeFailures: 5, windowSeconds: 15 * 60, maxDelaySeconds: 300 } as const;

/** How long after the last failure an attempt from a new address waits, with `failures` in the window. */
export function slowdownSeconds(failures: number): number {
  if (failures <= SIGN_IN_SLOWDOWN.freeFailures) return 0;
  return Math.min(2 ** (failures - SIGN_IN_SLOWDOWN.freeFailures), SIGN_IN_SLOWDOWN.maxDelaySeconds);
}

export type SignInAttempt = { account: string; address: string };

export function signInAttempt(email: string, address: string): SignInAttempt {
  return { account: digestKey(email.trim().toLowerCase()), address };
}

const pairKey = (attempt: SignInAttempt) => `${attempt.account}:${digestKey(attempt.address)}`;

/**
 * Counts an attempt before the password is checked, and says how many seconds it must wait
 * (0: go ahead). Hard limits: per address, and per account and address together, so a guesser
 * elsewhere cannot lock the owner out. The account as a whole is only slowed, and only for
 * addresses it has not signed in from.
 */
export async function admitSignIn(db: Db, attempt: SignInAttempt): Promise<number> {
  const limits = [
    await hitRateLimit(db, SIGN_IN_PER_ACCOUNT_AND_ADDRESS, pairKey(attempt)),
    await hitRateLimit(db, SIGN_IN_PER_ADDRESS, attempt.address),
  ];
  const refused = limits.filter((decision) => !decision.allowed);
  if (refused.length > 0) return Math.max(...refused.map((decision) => decision.retryAfterSeconds));
  const [row] = await db<{ is_known: boolean; failures: number; waited: number }[]>`
    select
      exists (select 1 from private.sign_in_addresses a
              where a.account = ${attempt.account} and a.address = ${digestKey(attempt.address)}
                and a.last_success_at > now() - interval '90 days') as is_known,
      coalesce((select s.failures from private.sign_in_slowdowns s
                where s.account = ${attempt.account}
                  and s.last_failure_at > now() - make_interval(secs => ${SIGN_IN_SLOWDOWN.windowSeconds})), 0) as failures,
      coalesce((select extract(epoch from now() - s.last_failure_at)::float8 from private.sign_in_slowdowns s
                where s.account = ${attempt.account}), 0) as waited`;
  if (row!.is_known) return 0;
  const remaining = Math.ceil(slowdownSeconds(row!.failures) - row!.waited);
  return remaining > 0 ? remaining : 0;
}

/** A wrong password: the account's next attempts from new addresses wait longer. */
export async function recordSignInFailure(db: Db, attempt: SignInAttempt): Promise<void> {
  await db`
    insert into private.sign_in_slowdowns as s (account, failures, last_failure_at)
    values (${attempt.account}, 1, now())
    on conflict (account) do update set
      failures = case when s.last_failure_at <= now() - make_interval(secs => ${SIGN_IN_SLOWDOWN.windowSeconds}) then 1 else s.failures + 1 end,
      last_failure_at = now()`;
}

/** Signed in: the attempt's hits are taken back, and the address becomes one the account uses. */
export async function recordSignInSuccess(db: Db, attempt: SignInAttempt): Promise<void> {
  await refundSignIn(db, attempt);
  await db`
    insert into private.sign_in_addresses (account, address, last_success_at)
    values (${attempt.account}, ${digestKey(attempt.address)}, now())
    on conflict (account, address) do update set last_success_at = now()`;
  if (Math.random() < 0.01) await db`delete from private.sign_in_addresses where last_success_at < now() - interval '90 days'`;
}

/** An attempt that did not count (the sign-in service could not be reached). */
export async function refundSignIn(db: Db, attempt: SignInAttempt): Promise<void> {
  await refundRateLimit(db, SIGN_IN_PER_ACCOUNT_AND_ADDRESS, pairKey(attempt));
  await refundRateLimit(db, SIGN_IN_PER_ADDRESS, attempt.address);
}
