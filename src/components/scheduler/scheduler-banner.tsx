import Link from "next/link";
import type { Translate } from "@/lib/i18n/messages";
import { formatInZone } from "@/lib/time";
import type { SchedulerCause, SchedulerState } from "@/server/schedule/state";

const CAUSE_KEY = {
  inngest: "scheduler.cause.inngest",
  none: "scheduler.cause.none",
  failing: "scheduler.cause.failing",
} as const satisfies Record<SchedulerCause, string>;

/**
 * Shown on every page while the scheduler is late or has never run: missed jobs and stuck runs
 * go undetected meanwhile. Admins also read the likely cause and its fix.
 */
export function SchedulerBanner({ scheduler, isAdmin, t, timezone }: { scheduler: SchedulerState; isAdmin: boolean; t: Translate; timezone: string }) {
  return (
    <div role="alert" data-testid="scheduler-banner" className="border-b border-danger/30 bg-danger-soft px-4 py-2 text-sm text-danger md:px-8">
      <p>
        {scheduler.lastTickAt ? t("scheduler.late", { since: formatInZone(scheduler.lastTickAt, timezone) }) : t("scheduler.neverTicked")}{" "}
        <Link href="/scheduler" className="underline">
          {t("scheduler.details")}
        </Link>
      </p>
      {isAdmin && scheduler.cause ? <p className="mt-1">{t(CAUSE_KEY[scheduler.cause])}</p> : null}
    </div>
  );
}
