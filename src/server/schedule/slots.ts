import { CronExpressionParser } from "cron-parser";
import { formatWallClock } from "@/lib/time";
import { isTimeZone } from "@/lib/timezone";
import type { Schedule } from "./describe";

/**
 * The latest scheduled slot at or before `now`, on the schedule's own wall clock (so a 09:00
 * New York job is due at 13:00 UTC in summer and 14:00 UTC in winter, and a slot that DST
 * skips or repeats counts once). Periods count from `anchor` (the job's creation). Null when
 * no slot has come since the anchor.
 */
export function latestSlot(schedule: Schedule, now: Date, anchor: Date): Date | null {
  if (schedule.periodSeconds) {
    const period = schedule.periodSeconds * 1000;
    const elapsed = now.getTime() - anchor.getTime();
    if (elapsed < period) return null;
    return new Date(anchor.getTime() + Math.floor(elapsed / period) * period);
  }
  if (!schedule.cron) return null;
  const timeZone = schedule.timezone ?? "UTC";
  try {
    const iterator = CronExpressionParser.parse(schedule.cron, { currentDate: new Date(now.getTime() + 1), tz: timeZone });
    let slot = iterator.prev().toDate();
    // When clocks fall back, 01:30 happens twice: both instants are the same slot, named by the first.
    const earlier = iterator.prev().toDate();
    if (formatWallClock(earlier, timeZone) === formatWallClock(slot, timeZone)) slot = earlier;
    return slot > anchor ? slot : null;
  } catch {
    return null;
  }
}

/** The slot before `slot`, to judge how early a report may come and still count for it. */
export function slotBefore(schedule: Schedule, slot: Date): Date | null {
  if (schedule.periodSeconds) return new Date(slot.getTime() - schedule.periodSeconds * 1000);
  if (!schedule.cron) return null;
  try {
    return CronExpressionParser.parse(schedule.cron, { currentDate: slot, tz: schedule.timezone ?? "UTC" }).prev().toDate();
  } catch {
    return null;
  }
}

/**
 * The first slot after `now` (and after the anchor), on the schedule's wall clock: when the tick
 * next has work for this job. Null when the schedule has none (an expression that cannot parse).
 */
export function slotAfter(schedule: Schedule, now: Date, anchor: Date): Date | null {
  if (schedule.periodSeconds) {
    const period = schedule.periodSeconds * 1000;
    const elapsed = now.getTime() - anchor.getTime();
    return new Date(anchor.getTime() + (elapsed < 0 ? 1 : Math.floor(elapsed / period) + 1) * period);
  }
  if (!schedule.cron) return null;
  try {
    const from = now > anchor ? now : anchor;
    return realSlots(schedule.cron, schedule.timezone ?? "UTC", from, 1)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The next `count` slots after `from` that happen on the zone's clock. Going forward the cron
 * library moves a time that DST skips (02:30 the night New York springs forward) to the hour
 * after; going back it skips it, as latestSlot does. A slot is real when looking back from it
 * finds it again, so both directions agree that the skipped time never comes.
 */
function realSlots(cron: string, timeZone: string, from: Date, count: number): Date[] {
  const iterator = CronExpressionParser.parse(cron, { currentDate: from, tz: timeZone });
  const slots: Date[] = [];
  // A skipped time is at most one a year per field combination: a few candidates more suffice.
  for (let tries = 0; slots.length < count && tries < count + 4; tries++) {
    const candidate = iterator.next().toDate();
    const back = CronExpressionParser.parse(cron, { currentDate: new Date(candidate.getTime() + 1), tz: timeZone }).prev().toDate();
    if (back.getTime() === candidate.getTime()) slots.push(candidate);
  }
  return slots;
}

/** Is `cron` a valid five-field expression? Returns the parser's complaint when it is not. */
const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { name: "day-of-week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
] as const;

/** One field's problem in words, or null: each comma-separated part is *, a value or a range, with an optional /step. */
function cronFieldProblem(text: string, field: (typeof CRON_FIELDS)[number]): string | null {
  const names: readonly string[] = "names" in field ? field.names : [];
  const valueOf = (part: string) => (names.includes(part.toLowerCase()) ? names.indexOf(part.toLowerCase()) + (field.name === "month" ? 1 : 0) : /^\d+$/.test(part) ? Number(part) : NaN);
  for (const part of text.split(",")) {
    const [range = "", step, extra] = part.split("/");
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `The ${field.name} field cannot read “${part}”: a step is written like */15`;
    if (range === "*") continue;
    const bounds = range.split("-");
    if (bounds.length > 2 || bounds.some((bound) => Number.isNaN(valueOf(bound)))) return `The ${field.name} field cannot read “${part}”`;
    for (const bound of bounds.map(valueOf)) {
      if (bound < field.min || bound > field.max) return `The ${field.name} field goes from ${field.min} to ${field.max}; ${bound} is outside it`;
    }
    if (bounds.length === 2 && valueOf(bounds[0]!) > valueOf(bounds[1]!)) return `The ${field.name} range “${range}” runs backwards`;
  }
  return null;
}

/**
 * What is wrong with a cron expression, in words a person reads, or null. One message for the
 * first mistake; the timezone is checked (and reported) on its own field.
 */
export function cronProblem(cron: string, timezone: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return "Use five fields: minute hour day-of-month month day-of-week (for example 30 3 * * *)";
  try {
    CronExpressionParser.parse(cron, { tz: isTimeZone(timezone) ? timezone : "UTC" });
    return null;
  } catch {
    // The library's own words are for programmers: say which field is wrong, and how.
    for (const [index, field] of CRON_FIELDS.entries()) {
      const problem = cronFieldProblem(fields[index]!, field);
      if (problem) return problem;
    }
    return "This cron expression cannot be read: use five fields like 30 3 * * 1-5";
  }
}

/** The next `count` run times after `from`, for the schedule form's preview. */
export function nextSlots(schedule: Schedule, from: Date, count: number): Date[] {
  if (schedule.periodSeconds) {
    return Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * schedule.periodSeconds! * 1000));
  }
  if (!schedule.cron) return [];
  try {
    return realSlots(schedule.cron, schedule.timezone ?? "UTC", from, count);
  } catch {
    return [];
  }
}

const LONG_AGO = new Date(0);

/**
 * latestSlot, slotAfter and slotBefore, remembering each answer for a cron expression and zone:
 * working out a cron slot in a zone can take milliseconds, and a tick asks the same question
 * for every job that shares a schedule. For one tick (one `now`), not to be kept.
 */
export function slotsForOneTick() {
  const answers = new Map<string, Date | null>();
  const remember = (key: string, work: () => Date | null) => {
    if (!answers.has(key)) answers.set(key, work());
    return answers.get(key)!;
  };
  const cronKey = (schedule: Schedule, at: Date) => `${schedule.cron}|${schedule.timezone ?? "UTC"}|${at.getTime()}`;
  const isCron = (schedule: Schedule) => !schedule.periodSeconds && Boolean(schedule.cron);
  return {
    latest(schedule: Schedule, now: Date, anchor: Date): Date | null {
      if (!isCron(schedule)) return latestSlot(schedule, now, anchor);
      const slot = remember(`latest|${cronKey(schedule, now)}`, () => latestSlot(schedule, now, LONG_AGO));
      return slot && slot > anchor ? slot : null;
    },
    after(schedule: Schedule, now: Date, anchor: Date): Date | null {
      if (!isCron(schedule) || anchor > now) return slotAfter(schedule, now, anchor);
      return remember(`after|${cronKey(schedule, now)}`, () => slotAfter(schedule, now, LONG_AGO));
    },
    before(schedule: Schedule, slot: Date): Date | null {
      if (!isCron(schedule)) return slotBefore(schedule, slot);
      return remember(`before|${cronKey(schedule, slot)}`, () => slotBefore(schedule, slot));
    },
  };
}
