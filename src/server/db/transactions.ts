import type postgres from "postgres";
import { isBrokenPooledConnection, isConnectionLost } from "./errors";
import { boundsOf, type Bounds, type Sql } from "./sql";

/** The JWT claims Supabase puts in `request.jwt.claims`; built-in auth issues the same shape. */
export type Claims = {
  sub: string;
  email?: string;
  role: "authenticated";
  aud?: string | string[];
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
};

export type Tx = postgres.TransactionSql;

/**
 * Runs `fn` in a transaction that acts for a signed-in user, as PostgREST does: the claims go
 * into `request.jwt.claims` and the role becomes `authenticated`, so every statement is filtered
 * by the same RLS policies Supabase would apply.
 */
export function withUser<T>(sql: Sql, claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const bounds = boundsOf(sql);
  return inTransaction(
    sql,
    (tx) => tx`
      select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
             set_config('role', 'authenticated', true)${boundsIn(tx, bounds)}`,
    fn,
  );
}

/**
 * Runs `fn` as the service role (ingest, sign-up, background work). RLS does not filter it,
 * so every statement inside must scope itself by workspace id.
 */
export function withService<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const bounds = boundsOf(sql);
  return inTransaction(sql, (tx) => tx`select set_config('role', 'service_role', true)${boundsIn(tx, bounds)}`, fn);
}

/**
 * The pool's bounds, set again for the transaction alone, in the same statement as its role: a
 * transaction pooler (Supavisor) does not pass the pool's startup parameters on to the server.
 */
function boundsIn(tx: Tx, bounds: Bounds | undefined) {
  return bounds
    ? tx`,
      set_config('statement_timeout', ${String(bounds.statementTimeoutMs)}, true),
      set_config('idle_in_transaction_session_timeout', ${String(bounds.idleInTransactionTimeoutMs)}, true)`
    : tx``;
}

type Attempt = {
  /** `fn` was called: from here on, statements of the caller's may have reached the database. */
  started: boolean;
  /** sql.begin has settled: committed, rolled back, or ended by its connection closing. */
  over: boolean;
};

/**
 * One transaction: `setup` (side-effect free), then `fn`. When a pooled connection turns out to
 * be dead before `fn` was called, the whole transaction is tried once more on another
 * connection: nothing of the caller's was sent, and what was sent (BEGIN, set-up) dies with the
 * server's session. Once `fn` has run, a lost connection surfaces: even if its statements were
 * all rolled back, `fn` may have done things outside the database, and a COMMIT that was sent may
 * have landed, so only the caller can know whether doing it again is safe.
 */
async function inTransaction<T>(sql: Sql, setup: (tx: Tx) => Promise<unknown>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const first: Attempt = { started: false, over: false };
  try {
    return await attempt(sql, first, setup, fn);
  } catch (error) {
    if (first.started || !isBrokenPooledConnection(error)) throw error;
    return attempt(sql, { started: false, over: false }, setup, fn);
  }
}

async function attempt<T>(sql: Sql, state: Attempt, setup: (tx: Tx) => Promise<unknown>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    const result = await sql.begin((tx) => {
      const guarded = guard(tx, state);
      return settleUnlessLost(
        state,
        (async () => {
          await setup(guarded);
          state.started = true;
          return fn(guarded);
        })(),
      );
    });
    return result as T;
  } finally {
    state.over = true;
  }
}

/** How long to wait for a lost connection's close to end the transaction before letting postgres.js roll back. */
const CLOSE_GRACE_MS = 2000;

/**
 * The transaction's work, handed to postgres.js only when it is safe to act on. postgres.js ends
 * a transaction whose work failed with ROLLBACK, and one whose work finished with COMMIT, on the
 * transaction's connection even when that connection has just closed: it then writes to a
 * socket it has already dropped, an uncaught TypeError from a timer that also leaves the
 * connection unable to connect again (postgres 3.4.9, connection.js nextWrite). So when the work
 * failed because the connection is gone, or the transaction already ended, the outcome is not
 * passed on: sql.begin rejects through the connection's close (the server has rolled the
 * transaction back). Should the close not come, the outcome is passed on after a grace period.
 */
function settleUnlessLost<T>(state: Attempt, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (pass: () => void, lost: boolean) => {
      if (state.over) return;
      if (!lost) return pass();
      setTimeout(() => state.over || pass(), CLOSE_GRACE_MS).unref();
    };
    work.then(
      (value) => settle(() => resolve(value), false),
      (error: unknown) => settle(() => reject(error), isConnectionLost(error)),
    );
  });
}

function transactionEnded(): Error {
  return Object.assign(new Error("The transaction has already ended; the statement was not sent"), { code: "TRANSACTION_ENDED" });
}

/**
 * `tx` refusing statements once its transaction has ended. Sent anyway, postgres.js would run
 * them on the connection after it went back to the pool, outside any transaction and role, or
 * write them to a socket that is gone.
 */
function guard(tx: Tx, state: Attempt): Tx {
  const check = () => {
    if (state.over) throw transactionEnded();
  };
  return new Proxy(tx, {
    apply(target, thisArg, args) {
      check();
      return Reflect.apply(target, thisArg, args);
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property === "unsafe" || property === "file") && typeof value === "function") {
        return (...args: unknown[]) => {
          check();
          return Reflect.apply(value, target, args);
        };
      }
      return value;
    },
  });
}
