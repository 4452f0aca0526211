import { parseCleanJson } from "@/lib/clean-text";
import { getEnv } from "@/lib/env";
import type { Sql } from "../db/sql";
import { withService } from "../db/transactions";
import { isDatabaseUnavailable } from "../db/errors";
import { readBodyBytes } from "../http/body";
import { clientAddress } from "../http/client-address";
import { databaseUnavailableReply, errorResponse, jsonResponse, toResponse } from "../http/reply";
import { hitRateLimit } from "../rate-limit/limiter";
import { AGENT_UNAUTHENTICATED_PER_ADDRESS } from "../rate-limit/rules";
import { alertsQueued } from "../notify/notifier";
import { authenticateAgent } from "./authenticate";
import { agentLeaseSeconds, resolveAgentIncident } from "../agent-offline/incidents";
import { AGENT_ACTIONS, AGENT_LIMITS, isAgentAction, type AgentAction, type ClaimBody } from "./schemas";
import { claimAgentRuns, expireAgentLeases, finishAgentRun, recordHeartbeat, registerAgent, type AgentTiming } from "./service";

const BODY_LIMIT = 512 * 1024;
const CLAIM_POLL_MS = 500;

export function agentTiming(): AgentTiming {
  const env = getEnv();
  return { leaseSeconds: agentLeaseSeconds(), heartbeatMs: env.JOBBOARD_AGENT_HEARTBEAT_MS ?? 3000 };
}

/** Refused before the body is read: the answer closes the connection, so no unread body is taken in after it. */
function refusedUnread(status: number, error: string, headers?: Record<string, string>): Response {
  return errorResponse(status, error, undefined, { ...headers, connection: "close" });
}

const tooLarge = () => refusedUnread(413, `Request body must be at most ${BODY_LIMIT} bytes`);

/** The body as a JSON object, read through the capped reader: past the limit, reading stops and the connection is cut. */
async function readJson(request: Request): Promise<{ body: unknown } | { problem: Response }> {
  const bytes = await readBodyBytes(request, BODY_LIMIT);
  if (bytes === null) return { problem: tooLarge() };
  const text = bytes.toString("utf8");
  try {
    // A script's output rides in heartbeats and finishes: clean it before anything reads it.
    const body: unknown = text.trim() === "" ? {} : parseCleanJson(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) return { problem: errorResponse(400, "Body must be a JSON object") };
    return { body };
  } catch {
    return { problem: errorResponse(400, "Invalid JSON body") };
  }
}

/**
 * Who is calling, from the header alone, before a byte of the body is read. A caller without a
 * valid token is counted per address, and refused with 429 once it has used its allowance.
 */
async function authenticateFirst(sql: Sql, request: Request): Promise<Response | null> {
  return withService(sql, async (tx) => {
    const agent = await authenticateAgent(tx, request.headers);
    if (!("status" in agent)) return null;
    const decision = await hitRateLimit(tx, AGENT_UNAUTHENTICATED_PER_ADDRESS, clientAddress(request.headers));
    if (!decision.allowed) {
      return refusedUnread(429, `Too many requests; try again in ${decision.retryAfterSeconds} s`, { "retry-after": String(decision.retryAfterSeconds) });
    }
    return refusedUnread(agent.status, agent.error);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Long-polls for runs: claims now, or waits in short steps (no LISTEN/NOTIFY: poolers drop it). */
async function claimWithin(sql: Sql, request: Request, body: ClaimBody, timing: AgentTiming): Promise<Response> {
  const deadline = Date.now() + Math.min(body.wait_ms, AGENT_LIMITS.maxWaitMs);
  for (;;) {
    const answer = await withService(sql, async (tx) => {
      const agent = await authenticateAgent(tx, request.headers);
      if ("status" in agent) return { kind: "refused" as const, refusal: agent };
      // Any agent's poll ends the leases that ran out in its workspace: no tick needed for that.
      const lost = await expireAgentLeases(tx, agent.workspace_id);
      await tx`update agents set last_seen_at = now() where id = ${agent.id}`;
      const isBack = await resolveAgentIncident(tx, agent.id);
      const runs = await claimAgentRuns(tx, agent, body.capacity, timing);
      const [state] = await tx<{ drained: boolean }[]>`select drained from agents where id = ${agent.id}`;
      return { kind: "polled" as const, runs, drained: state!.drained, lost, isBack };
    });
    if (answer.kind === "refused") return errorResponse(answer.refusal.status, answer.refusal.error);
    if (answer.lost > 0 || answer.isBack) alertsQueued(sql);
    if (answer.runs.length > 0 || answer.drained || Date.now() + CLAIM_POLL_MS > deadline || request.signal.aborted) {
      return jsonResponse(200, { runs: answer.runs, drained: answer.drained });
    }
    await sleep(CLAIM_POLL_MS);
  }
}

async function handle(sql: Sql, request: Request, action: AgentAction, body: unknown, timing: AgentTiming): Promise<Response> {
  const parsed = AGENT_ACTIONS[action].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return errorResponse(400, issue.message, issue.path.map(String).join(".") || undefined);
  }
  if (action === "claim") return claimWithin(sql, request, parsed.data as ClaimBody, timing);

  const answer = await withService(sql, async (tx) => {
    const agent = await authenticateAgent(tx, request.headers);
    if ("status" in agent) return { status: agent.status, body: { error: agent.error } };
    switch (action) {
      case "register": {
        const { isAlertQueued, ...registered } = await registerAgent(tx, agent, AGENT_ACTIONS.register.parse(body));
        return {
          status: 200,
          body: { ...registered, heartbeat_ms: timing.heartbeatMs, lease_seconds: timing.leaseSeconds, max_wait_ms: AGENT_LIMITS.maxWaitMs },
          alertQueued: isAlertQueued,
        };
      }
      case "heartbeat": {
        const { isAlertQueued, ...answer } = await recordHeartbeat(tx, agent, AGENT_ACTIONS.heartbeat.parse(body), timing);
        return { status: 200, body: answer, alertQueued: isAlertQueued };
      }
      case "finish": {
        const finished = await finishAgentRun(tx, agent, AGENT_ACTIONS.finish.parse(body), timing);
        if (!finished) return { status: 404, body: { error: "No run of this agent has that run_id", field: "run_id" } };
        return { status: 200, body: { status: finished.status, duplicate: finished.duplicate }, alertQueued: finished.alertQueued };
      }
    }
  });
  if ("alertQueued" in answer && answer.alertQueued) alertsQueued(sql);
  return jsonResponse(answer.status, answer.body);
}

/**
 * POST /api/agent/<action>: the agent protocol (docs/agent-protocol.md). Every refusal is JSON
 * `{error, field?}`; only an unreachable database answers 5xx (503 with Retry-After).
 */
export async function handleAgentRequest(request: Request, action: string, getSql: () => Promise<Sql>): Promise<Response> {
  if (!isAgentAction(action)) return refusedUnread(404, `Unknown agent call "${action}"; use register, claim, heartbeat or finish`);
  if (Number(request.headers.get("content-length") ?? "0") > BODY_LIMIT) return tooLarge();
  try {
    const sql = await getSql();
    const refused = await authenticateFirst(sql, request);
    if (refused) return refused;
    const read = await readJson(request);
    if ("problem" in read) return read.problem;
    return await handle(sql, request, action, read.body, agentTiming());
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      return toResponse(databaseUnavailableReply());
    }
    console.error(`agent ${action} failed`, error);
    return errorResponse(500, "Internal error; the agent retries");
  }
}

export function agentMethodNotAllowed(): Response {
  return errorResponse(405, "Agent calls are POST", undefined, { allow: "POST" });
}
