import { getSql } from "@/server/db/client";
import { apiMethodNotAllowed, handleListJobs } from "@/server/api/handlers";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return handleListJobs(request, { getSql });
}

export const POST = apiMethodNotAllowed;
export const PUT = apiMethodNotAllowed;
export const PATCH = apiMethodNotAllowed;
export const DELETE = apiMethodNotAllowed;
