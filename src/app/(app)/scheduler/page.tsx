import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { Fact, Facts } from "@/components/ui/facts";
import { PageHeader } from "@/components/ui/page-header";
import { getTranslator } from "@/lib/i18n/server";
import { formatDuration, formatInZone, formatRelative } from "@/lib/time";
import { getAppContext } from "@/server/auth/context";
import { getSql } from "@/server/db/client";
import { getSchedulerState } from "@/server/schedule/state";

export const metadata: Metadata = { title: "Scheduler" };

/** The scheduler's detail: runner, last tick, ticks in the last hour (the overview's line leads here). */
export default async function SchedulerPage() {
  const { workspace } = await getAppContext();
  const { t, locale } = await getTranslator();
  const now = new Date();
  const scheduler = await getSchedulerState(await getSql(), now);
  const none = t("scheduler.none");
  return (
    <>
      <PageHeader title={t("scheduler.title")} description={t("scheduler.description")} live={{ label: t("overview.live"), seconds: 15 }} />
      <Card title={t("scheduler.title")}>
        <Facts>
          <Fact label={t("scheduler.state")}>
            <span data-testid="scheduler-state">{t(`scheduler.state.${scheduler.state}`)}</span>
          </Fact>
          <Fact label={t("scheduler.runner")}>{scheduler.runner ? t(`scheduler.runner.${scheduler.runner}`) : none}</Fact>
          <Fact label={t("scheduler.lastTick")}>
            {scheduler.lastTickAt ? `${formatInZone(scheduler.lastTickAt, workspace.timezone)} (${formatRelative(scheduler.lastTickAt, now, locale)})` : none}
          </Fact>
          <Fact label={t("scheduler.lastDuration")}>{scheduler.lastDurationMs != null ? formatDuration(scheduler.lastDurationMs, locale) : none}</Fact>
          <Fact label={t("scheduler.ticksLastHour")}>
            <span data-testid="scheduler-ticks-last-hour">{scheduler.ticksLastHour}</span>
          </Fact>
        </Facts>
        <p className="mt-3 text-xs text-muted">{t("scheduler.healthHint")}</p>
      </Card>
    </>
  );
}
