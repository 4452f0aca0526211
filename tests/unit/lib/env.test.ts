import { afterEach, describe, expect, it } from "vitest";
import { getEnv, isEmbeddedDatabase, isSupabaseAuth, resetEnvCache } from "@/lib/env";

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function withEnv(values: Record<string, string>) {
  process.env = { ...saved, DATABASE_URL: "", NEXT_PUBLIC_SUPABASE_URL: "", NEXT_PUBLIC_SUPABASE_ANON_KEY: "", ...values };
  resetEnvCache();
}

describe("environment", () => {
  it("treats blank values as unset, so a copied .env.example runs the embedded default", () => {
    withEnv({ DATABASE_URL: "", AUTH_SECRET: "" });
    expect(getEnv().DATABASE_URL).toBeUndefined();
    expect(isEmbeddedDatabase()).toBe(true);
    expect(isSupabaseAuth()).toBe(false);
    withEnv({ JOBBOARD_AGENT_LEASE_SECONDS: "", JOBBOARD_AGENT_HEARTBEAT_MS: "" });
    expect(getEnv().JOBBOARD_AGENT_LEASE_SECONDS).toBeUndefined();
  });

  it("names the variable that is wrong", () => {
    withEnv({ JOBBOARD_AGENT_LEASE_SECONDS: "2" });
    expect(() => getEnv()).toThrow(/JOBBOARD_AGENT_LEASE_SECONDS/);
    withEnv({ DATABASE_URL: "mysql://nope" });
    expect(() => getEnv()).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    withEnv({ AUTH_SECRET: "short" });
    expect(() => getEnv()).toThrow(/AUTH_SECRET/);
  });

  it("reads DATABASE_PREPARED_STATEMENTS as on or off, and says so when it is neither 0 nor 1", () => {
    withEnv({ DATABASE_PREPARED_STATEMENTS: "0" });
    expect(getEnv().DATABASE_PREPARED_STATEMENTS).toBe(false);
    withEnv({ DATABASE_PREPARED_STATEMENTS: "1" });
    expect(getEnv().DATABASE_PREPARED_STATEMENTS).toBe(true);
    withEnv({ DATABASE_PREPARED_STATEMENTS: "" });
    expect(getEnv().DATABASE_PREPARED_STATEMENTS).toBeUndefined();
    withEnv({ DATABASE_PREPARED_STATEMENTS: "yes" });
    expect(() => getEnv()).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it("uses Supabase Auth only when both its URL and anon key are set", () => {
    withEnv({ NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co" });
    expect(isSupabaseAuth()).toBe(false);
    withEnv({ NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co", NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-0123456789abc" });
    expect(isSupabaseAuth()).toBe(true);
  });
});
