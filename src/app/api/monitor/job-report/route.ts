import { getSql } from "@/server/db/client";
import { getReporterConfig } from "@/server/ingest/config";
import { handleJobReport, methodNotAllowed } from "@/server/ingest/http";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleJobReport(request, { getSql, ...(await getReporterConfig()) });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
