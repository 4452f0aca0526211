import { getSql } from "@/server/db/client";
import { getReporterConfig } from "@/server/ingest/config";
import { handlePing } from "@/server/pings/http";

export const dynamic = "force-dynamic";

async function ping(request: Request, { params }: { params: Promise<{ segments: string[] }> }): Promise<Response> {
  const { segments } = await params;
  return handlePing(request, segments, { getSql, ...(await getReporterConfig()) });
}

export const GET = ping;
export const HEAD = ping;
export const POST = ping;
export const PUT = ping;
export const PATCH = ping;
export const DELETE = ping;
