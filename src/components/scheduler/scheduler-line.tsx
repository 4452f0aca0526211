import Link from "next/link";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { formatInZone, formatRelative } from "@/lib/time";
import type { SchedulerState } from "@/server/schedule/state";

/** The overview's one line on the scheduler, leading to its detail page. */
export function SchedulerLine({ scheduler, t, locale, timezone, now }: { scheduler: SchedulerState; t: Translate; locale: Locale; timezone: string; now: Date }) {
  const ago = scheduler.lastTickAt ? formatRelative(scheduler.lastTickAt, now, locale) : "";
  const text = {
    ok: t("scheduler.line.ok", { runner: scheduler.runner ? t(`scheduler.runner.${scheduler.runner}`) : "", ago }),
    late: t("scheduler.line.late", { ago }),
    starting: t("scheduler.line.starting"),
    never: t("scheduler.line.never"),
  }[scheduler.state];
  const tone = scheduler.state === "ok" || scheduler.state === "starting" ? "text-muted" : "font-medium text-danger";
  return (
    <p data-testid="scheduler-line" data-state={scheduler.state} className={`mb-4 text-sm ${tone}`}>
      <span title={scheduler.lastTickAt ? formatInZone(scheduler.lastTickAt, timezone) : undefined}>{text}</span>{" "}
      <Link href="/scheduler" className="text-accent underline">
        {t("scheduler.details")}
      </Link>
    </p>
  );
}
