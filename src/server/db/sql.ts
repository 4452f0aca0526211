import postgres from "postgres";

export type Sql = postgres.Sql;
/** A handle that runs queries: the pool itself or one transaction of it. */
export type Db = postgres.Sql | postgres.TransactionSql;

/** A postgres.js pool set up the way every part of Jobboard expects. */
export function createSql(url: string, options: { max: number }): Sql {
  return postgres(url, {
    max: options.max,
    // Supabase's transaction pooler and the PGlite socket both break with named prepared statements.
    prepare: false,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "jobboard" },
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
}
