import type postgres from "postgres";
import type { Sql } from "./sql";

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
 * Runs `fn` in a transaction that acts for a signed-in user, exactly as PostgREST does:
 * the claims go into `request.jwt.claims` and the role becomes `authenticated`, so every
 * statement is filtered by the same RLS policies Supabase would apply.
 */
export async function withUser<T>(sql: Sql, claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    await tx`set local role authenticated`;
    return fn(tx);
  });
  return result as T;
}

/**
 * Runs `fn` as the service role (ingest, sign-up, background work). RLS does not filter it,
 * so every statement inside must scope itself by workspace id.
 */
export async function withService<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    return fn(tx);
  });
  return result as T;
}
