import postgres from "postgres";

export type Sql = postgres.Sql;
/** A handle that runs queries: the pool itself or one transaction of it. */
export type Db = postgres.Sql | postgres.TransactionSql;

/** Seconds a new connection may take to be ready; a healthy one, TLS included, takes well under one. */
export const CONNECT_TIMEOUT_SECONDS = 3;

/**
 * Seconds before a connection that closed with an error connects again. postgres.js's default
 * grows with every failure of any connection in the pool, up to 20 s, so after a database
 * restart a request could wait that long for a connection to a database that is already back.
 */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 0.5);
}

/** The longest a statement may run, and a transaction sit idle holding its locks, before the server ends it. */
export type Bounds = { statementTimeoutMs: number; idleInTransactionTimeoutMs: number };

/**
 * What the server's pool allows a request: a stuck query or a hung handler must not hold a
 * connection, or keep a client waiting, for longer. Tools and tests (migrations run apart,
 * benchmarks, fixtures that insert a million rows) use pools without bounds.
 */
export const REQUEST_BOUNDS: Bounds = { statementTimeoutMs: 5000, idleInTransactionTimeoutMs: 10_000 };

const boundsByPool = new WeakMap<Sql, Bounds>();

/** The bounds `sql` was created with, if any: transactions set them again for themselves. */
export function boundsOf(sql: Sql): Bounds | undefined {
  return boundsByPool.get(sql);
}

/**
 * Whether a pool at `url` may name its prepared statements. A named statement is parsed once per
 * connection and then costs one round trip; an unnamed one with parameters costs two (describe,
 * then execute), and a busy server's event loop makes the database wait for the second. A
 * transaction pooler (Supabase's, on port 6543) hands each transaction to another connection,
 * where the statement does not exist.
 */
export function allowsPreparedStatements(url: string): boolean {
  return new URL(url).port !== "6543";
}

/**
 * A postgres.js pool set up the way every part of Jobboard expects. `prepare` defaults to what
 * the URL allows; the PGlite socket, which breaks with named statements, passes false.
 */
export function createSql(url: string, options: { max: number; bounds?: Bounds; prepare?: boolean }): Sql {
  const { bounds } = options;
  const sql = postgres(url, {
    max: options.max,
    prepare: options.prepare ?? allowsPreparedStatements(url),
    idle_timeout: 30,
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    // Startup parameters: PostgreSQL applies them to the whole session, pooled statements
    // included. PGlite accepts and ignores them, and a transaction pooler (Supavisor) does not
    // pass them on, which is why each transaction sets the bounds again.
    connection: {
      application_name: "jobboard",
      // Compiling a query plan costs more than an OLTP statement saves from it.
      jit: "off",
      ...(bounds && {
        statement_timeout: bounds.statementTimeoutMs,
        idle_in_transaction_session_timeout: bounds.idleInTransactionTimeoutMs,
      }),
    },
    types: {
      // int8 (counts, durations in ms) as numbers: every value we keep fits in 2^53.
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number) => String(value),
        parse: (value: string) => Number(value),
      },
    },
  });
  if (bounds) boundsByPool.set(sql, bounds);
  return sql;
}
