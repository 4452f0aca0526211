import { getEnv } from "@/lib/env";
import { getSql } from "@/server/db/client";
import { handleJobReport, methodNotAllowed } from "@/server/ingest/http";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  const env = getEnv();
  return handleJobReport(request, {
    getSql,
    webhookSecret: env.JOBBOARD_WEBHOOK_SECRET,
    defaultWorkspace: env.JOBBOARD_DEFAULT_WORKSPACE,
  });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
