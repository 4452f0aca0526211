/** Seconds to wait before retry `attempt` (1 = the first retry): 2, 4, 8, … capped at 5 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(300, 2 ** attempt);
}
