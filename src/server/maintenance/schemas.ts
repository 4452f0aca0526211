import { z } from "zod";
import { parseWallClock } from "@/lib/time";
import { isTimeZone } from "@/lib/timezone";
import { cronProblem } from "../schedule/slots";

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;
const wallClock = (label: string) => z.preprocess(blank, z.string().regex(WALL_CLOCK, `Enter the ${label} as a date and time, like 2026-12-24 03:00`).optional());

/** A week: a longer recurring window would cover its own next start. */
export const MAX_WINDOW_MINUTES = 10_080;

/** The maintenance form, as the browser sends it; one-off times are read in the chosen timezone. */
export const maintenanceFormSchema = z
  .object({
    title: z.string().trim().min(1, "Give the window a title").max(200, "The title is at most 200 characters"),
    jobId: z.preprocess(blank, z.uuid("Choose a job, or the whole workspace").optional()),
    kind: z.enum(["once", "recurring"], { error: "Choose once or recurring" }),
    startsAt: wallClock("start"),
    endsAt: wallClock("end"),
    cron: z.preprocess(blank, z.string().trim().max(120, "The cron expression is at most 120 characters").optional()),
    timezone: z.string().trim().refine(isTimeZone, "Unknown timezone (use an IANA name like Asia/Tokyo)"),
    durationMinutes: z.preprocess(
      blank,
      z.coerce
        .number({ error: "The length must be a number of minutes" })
        .int("The length must be a whole number of minutes")
        .min(1, "The length must be at least 1 minute")
        .max(MAX_WINDOW_MINUTES, `The length must be at most ${MAX_WINDOW_MINUTES} minutes (a week)`)
        .optional(),
    ),
  })
  .superRefine((form, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (form.kind === "once") {
      if (!form.startsAt) problem("startsAt", "Enter when the window starts");
      if (!form.endsAt) problem("endsAt", "Enter when the window ends");
      const starts = form.startsAt ? parseWallClock(form.startsAt, form.timezone) : null;
      const ends = form.endsAt ? parseWallClock(form.endsAt, form.timezone) : null;
      if (form.startsAt && !starts) problem("startsAt", "That start is not a real date and time");
      if (form.endsAt && !ends) problem("endsAt", "That end is not a real date and time");
      if (starts && ends && ends <= starts) problem("endsAt", "The window must end after it starts");
    } else {
      if (!form.cron) problem("cron", "Enter a cron expression for when the window starts");
      else {
        const issue = cronProblem(form.cron, form.timezone);
        if (issue) problem("cron", issue);
      }
      if (!form.durationMinutes) problem("durationMinutes", "Enter how many minutes the window lasts");
    }
  });

export type MaintenanceForm = z.infer<typeof maintenanceFormSchema>;

/** The columns a valid form sets. */
export function maintenanceValues(form: MaintenanceForm) {
  const isOnce = form.kind === "once";
  return {
    title: form.title,
    job_id: form.jobId ?? null,
    starts_at: isOnce ? parseWallClock(form.startsAt!, form.timezone) : null,
    ends_at: isOnce ? parseWallClock(form.endsAt!, form.timezone) : null,
    cron: isOnce ? null : form.cron!,
    timezone: isOnce ? null : form.timezone,
    duration_minutes: isOnce ? null : form.durationMinutes!,
  };
}

export type MaintenanceValues = ReturnType<typeof maintenanceValues>;

export const deleteMaintenanceSchema = z.object({ windowId: z.uuid("Unknown maintenance window.") });
