// Jobboard's own outages, as the gaps between schedule ticks, and what they mean for a slot.
// Pure: the tick and the alert simulator use the same rule.

/** Ticks come every minute: a gap longer than this is an outage of Jobboard's own. */
export const OUTAGE_GAP_MS = 2 * 60_000;

/** Slots that fell due inside an outage wait at least this long after it, for spooled reports. */
export const CATCH_UP_MS = 10 * 60_000;

/** From the last tick before the gap to the first tick after it. */
export type Outage = { from: Date; to: Date };

/**
 * The outage during which Jobboard could not judge a slot: its window (from the slot, when the
 * run should start, to the slot plus grace, when the tick would have called it missed) meets the
 * gap. A run that started then may have spooled its report, to replay once Jobboard is back.
 */
export function outageOfSlot(outages: readonly Outage[], slot: Date, graceMs: number): Outage | null {
  const checkAt = slot.getTime() + graceMs;
  return outages.find((outage) => slot.getTime() < outage.to.getTime() && checkAt > outage.from.getTime()) ?? null;
}

/** When a slot that fell inside `outage` is judged: the job's grace or the catch-up, whichever is longer, after Jobboard came back. */
export function catchUpEndsAt(outage: Outage, graceMs: number): Date {
  return new Date(outage.to.getTime() + Math.max(graceMs, CATCH_UP_MS));
}
