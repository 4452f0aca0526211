import { z } from "zod";

// Blank values in a copied .env.example mean "not set", not "set to nothing".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")),
  DATABASE_POOL_MAX: optional(z.coerce.number().int().min(1).max(100)),
  // Named prepared statements: on unless the URL is Supabase's transaction pooler (port 6543).
  // Set 0 behind any other pooler that runs in transaction mode.
  DATABASE_PREPARED_STATEMENTS: optional(z.enum(["0", "1"]).transform((value) => value === "1")),
  AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  NEXT_PUBLIC_SUPABASE_URL: optional(z.url()),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optional(z.string().min(20)),
  // Server-only: lets admins invite by email through Supabase Auth.
  SUPABASE_SERVICE_ROLE_KEY: optional(z.string().min(20)),
  JOBBOARD_DATA_DIR: z.string().default(".jobboard"),
  JOBBOARD_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  APP_URL: optional(z.url()),
  JOBBOARD_WEBHOOK_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
  JOBBOARD_DEFAULT_WORKSPACE: optional(z.string().min(1)),
  INNGEST_DEV: optional(z.enum(["0", "1"])),
  JOBBOARD_IN_PROCESS_SCHEDULER: optional(z.enum(["0", "1"])),
  INNGEST_EVENT_KEY: optional(z.string().min(1)),
  // Hosts, addresses and CIDRs outbound requests may reach although they are private or loopback.
  JOBBOARD_EGRESS_ALLOW: optional(z.string()),
  // Without Inngest: how many runs of one workspace execute in the server process at once (4).
  JOBBOARD_INLINE_RUNS_PER_WORKSPACE: optional(z.coerce.number().int().min(1).max(100)),
  // How long an agent's claim on a run lasts without a heartbeat, and how often it beats.
  JOBBOARD_AGENT_LEASE_SECONDS: optional(z.coerce.number().int().min(5).max(3600)),
  JOBBOARD_AGENT_HEARTBEAT_MS: optional(z.coerce.number().int().min(500).max(60_000)),
  INNGEST_SIGNING_KEY: optional(z.string().min(1)),
  // Jobs reports may create in one workspace (default 1000); past it a report of a new key gets 403.
  JOBBOARD_MAX_REPORTED_JOBS: optional(z.coerce.number().int().min(1).max(1_000_000)),
  // Reports accepted per key and minute before 429 (default 600: a top-of-the-hour burst fits).
  JOBBOARD_RATE_REPORTS_PER_MINUTE: optional(z.coerce.number().int().min(1).max(1_000_000)),
  // 1 = seed the public demo login on the embedded database in production too.
  JOBBOARD_DEMO: optional(z.enum(["0", "1"])),
  // 1 = let a production server use INNGEST_DEV=1 (an unauthenticated dev server).
  JOBBOARD_ALLOW_INNGEST_DEV: optional(z.enum(["0", "1"])),
  // Who may create an account: anyone (open) or only the first owner, then invitations (invite).
  JOBBOARD_SIGNUP: optional(z.enum(["open", "invite"])),
  // A Healthchecks-compatible URL every schedule tick pings, so an outside monitor sees this one stop.
  JOBBOARD_HEARTBEAT_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })),
  // Proxies in front of the server that append to X-Forwarded-For (default 0: the socket's address counts).
  JOBBOARD_TRUSTED_PROXY_HOPS: optional(z.coerce.number().int().min(0).max(10)),
  // Set by Vercel, whose edge writes the client's address itself (x-vercel-forwarded-for).
  VERCEL: optional(z.string()),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** The environment, parsed once; a bad value stops the server with the variable's name. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join("; ")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Supabase Auth is used when its URL and anon key are both configured. */
export function isSupabaseAuth(env: Env = getEnv()): boolean {
  return Boolean(env.NEXT_PUBLIC_SUPABASE_URL && env.NEXT_PUBLIC_SUPABASE_ANON_KEY);
}

/** The embedded database (PGlite) serves when no DATABASE_URL is given. */
export function isEmbeddedDatabase(env: Env = getEnv()): boolean {
  return !env.DATABASE_URL;
}

/** Runs are dispatched through Inngest (dev server or Cloud) rather than executed in-process. */
export function isInngestConfigured(env: Env = getEnv()): boolean {
  return env.INNGEST_DEV === "1" || Boolean(env.INNGEST_EVENT_KEY);
}

/** Whether the embedded database gets the demo workspace and its public login. */
export function isDemoSeeded(env: Env = getEnv()): boolean {
  return env.NODE_ENV !== "production" || env.JOBBOARD_DEMO === "1";
}

/** Sign-up mode: invite by default in production with built-in auth, which sends no email. */
export function signUpMode(env: Env = getEnv()): "open" | "invite" {
  return env.JOBBOARD_SIGNUP ?? (env.NODE_ENV === "production" && !isSupabaseAuth(env) ? "invite" : "open");
}

/**
 * Cookies are Secure in production whatever APP_URL says: a deploy behind a TLS proxy often
 * sees http itself. Browsers accept Secure cookies from http://localhost for local tries.
 */
export function isSecureCookies(env: Env = getEnv()): boolean {
  return env.NODE_ENV === "production";
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
