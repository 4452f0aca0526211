import { SchedulerBanner } from "@/components/scheduler/scheduler-banner";
import { Sidebar } from "@/components/shell/sidebar";
import { isSupabaseAuth } from "@/lib/env";
import { LocaleProvider } from "@/lib/i18n/client";
import { getTranslator } from "@/lib/i18n/server";
import { getAppContext } from "@/server/auth/context";
import { getSql } from "@/server/db/client";
import { getSchedulerState, isSchedulerDown } from "@/server/schedule/state";
import { canAdminister } from "@/server/workspaces/roles";
import { countOpenIncidents } from "@/server/workspaces/queries";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user, workspace, workspaces, db } = await getAppContext();
  const [openIncidents, { t, locale }, scheduler] = await Promise.all([
    db((tx) => countOpenIncidents(tx, workspace.id)),
    getTranslator(),
    getSql().then((sql) => getSchedulerState(sql)),
  ]);
  return (
    <div className="flex min-h-screen flex-col md:flex-row" lang={locale}>
      <Sidebar
        openIncidents={openIncidents}
        email={user.email}
        role={workspace.role}
        workspaces={workspaces.map(({ slug, name }) => ({ slug, name }))}
        currentWorkspace={workspace.slug}
        t={t}
        locale={locale}
        canChangePassword={!isSupabaseAuth()}
      />
      <div className="flex min-w-0 flex-1 flex-col">
        {isSchedulerDown(scheduler) ? <SchedulerBanner scheduler={scheduler} isAdmin={canAdminister(workspace.role)} t={t} timezone={workspace.timezone} /> : null}
        <main className="min-w-0 flex-1 px-4 py-4 md:px-8 md:py-6">
          <LocaleProvider locale={locale}>{children}</LocaleProvider>
        </main>
      </div>
    </div>
  );
}
