import "server-only";
import { headers } from "next/headers";
import { getEnv } from "@/lib/env";

/** The app's public URL for snippets: APP_URL, else what the browser used to reach us. */
export async function publicAppUrl(): Promise<string> {
  const configured = getEnv().APP_URL;
  if (configured) return configured.replace(/\/$/, "");
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost:3000";
  const proto = incoming.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}
