import { getEnv } from "@/lib/env";
import { EgressRefused, egressPolicy, guardedRequest } from "../egress";

// An outside monitor (healthchecks.io, another Jobboard's /ping/…) needs only to hear the ping.
const PING_TIMEOUT_MS = 5000;
const ANSWER_BYTES = 1024;

export type SelfPing = { kind: "off" } | { kind: "sent"; status: number } | { kind: "failed"; error: string };

/**
 * Pings JOBBOARD_HEARTBEAT_URL, Healthchecks' way (a GET), so an outside monitor alerts when
 * this Jobboard stops ticking. Through the egress guard, with a short timeout; never throws: a
 * monitor that cannot be reached must not stop the tick it watches.
 */
export async function pingHeartbeatUrl(): Promise<SelfPing> {
  const url = getEnv().JOBBOARD_HEARTBEAT_URL;
  if (!url) return { kind: "off" };
  try {
    const answer = await guardedRequest(
      url,
      { method: "GET", headers: { "user-agent": "Jobboard" }, signal: AbortSignal.timeout(PING_TIMEOUT_MS), maxBodyBytes: ANSWER_BYTES, keepTailBytes: ANSWER_BYTES },
      egressPolicy(),
    );
    if (answer.status >= 200 && answer.status < 300) return { kind: "sent", status: answer.status };
    console.warn(`Heartbeat URL answered HTTP ${answer.status}`);
    return { kind: "failed", error: `HTTP ${answer.status}` };
  } catch (caught) {
    const error = caught instanceof EgressRefused ? caught.message : `${(caught as Error).message}`;
    console.warn(`Heartbeat URL not reached: ${error}`);
    return { kind: "failed", error };
  }
}
