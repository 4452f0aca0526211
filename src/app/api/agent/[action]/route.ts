import { handleAgentRequest, agentMethodNotAllowed } from "@/server/agents/http";
import { getSql } from "@/server/db/client";

export const dynamic = "force-dynamic";
// A claim long-polls for up to 25 s; leave room for it under Vercel's limit.
export const maxDuration = 60;

export async function POST(request: Request, context: { params: Promise<{ action: string }> }): Promise<Response> {
  return handleAgentRequest(request, (await context.params).action, getSql);
}

export const GET = agentMethodNotAllowed;
export const PUT = agentMethodNotAllowed;
export const PATCH = agentMethodNotAllowed;
export const DELETE = agentMethodNotAllowed;
