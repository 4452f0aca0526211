import { spawn } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// Builds the app as Vercel would, with only the production environment (no .env files, no
// developer variables), then reads every file the browser can download for the server's secrets.
const DIST = ".next-production-check";
const SECRETS = {
  DATABASE_URL: "postgres://postgres.prodref:Pr0dDbPassw0rd@aws-0-ap-northeast-1.pooler.supabase.com:6543/postgres",
  AUTH_SECRET: "auth-secret-sentinel-7f3a9c1e5b2d4f6a8c0e",
  SUPABASE_SERVICE_ROLE_KEY: "service-role-sentinel-2b4d6f8a0c1e3g5i7k9m",
  INNGEST_SIGNING_KEY: "signkey-prod-sentinel0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  INNGEST_EVENT_KEY: "event-key-sentinel-9e8d7c6b5a4f3e2d1c0b",
  JOBBOARD_WEBHOOK_SECRET: "webhook-secret-sentinel-5c4b3a2f1e0d",
};
const PUBLIC = {
  NEXT_PUBLIC_SUPABASE_URL: "https://prodref.supabase.co",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-public-sentinel-1234567890abcdef",
  APP_URL: "https://jobs.example.com",
};

function build(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: DIST, ...SECRETS, ...PUBLIC },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

afterAll(async () => {
  await rm(DIST, { recursive: true, force: true });
});

describe("the production build", () => {
  it("builds with only production variables, and no server secret reaches the client bundle", async () => {
    const { code, output } = await build();
    expect(code, output.slice(-3000)).toBe(0);

    // What a browser can fetch: static chunks, plus prerendered HTML and RSC payloads.
    const clientFiles = [
      ...(await filesUnder(path.join(DIST, "static"))),
      ...(await filesUnder(path.join(DIST, "server", "app"))).filter((file) => /\.(html|rsc|body)$/.test(file)),
    ];
    const scripts = clientFiles.filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(10);

    const leaks: string[] = [];
    let sawClientText = false;
    for (const file of clientFiles) {
      const text = await readFile(file, "utf8");
      for (const [name, value] of Object.entries(SECRETS)) if (text.includes(value)) leaks.push(`${name} in ${file}`);
      if (/SUPABASE_SERVICE_ROLE_KEY|INNGEST_SIGNING_KEY|AUTH_SECRET/.test(text)) leaks.push(`a server variable's name in ${file}`);
      // Text from a client component (the copy button), to prove the search reads real chunks.
      if (text.includes("Select and copy it")) sawClientText = true;
    }
    expect(leaks).toEqual([]);
    expect(sawClientText).toBe(true);
  }, 600_000);
});
