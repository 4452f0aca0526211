import { getSql } from "@/server/db/client";
import { handleHealth } from "@/server/health/check";

export const dynamic = "force-dynamic";

export function GET(): Promise<Response> {
  return handleHealth(getSql);
}
