import Link from "next/link";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { signOutAction } from "@/server/auth/actions";
import { AccountMenu } from "./account-menu";
import { LanguageSwitcher } from "./language-switcher";
import { NavLink } from "./nav-link";
import { WorkspaceSwitcher } from "./workspace-switcher";

type Props = {
  openIncidents: number;
  email: string;
  role: string;
  workspaces: { slug: string; name: string }[];
  currentWorkspace: string;
  t: Translate;
  locale: Locale;
  /** Built-in accounts only; Supabase Auth manages its own passwords. */
  canChangePassword: boolean;
};

/**
 * The app's navigation: a sidebar on wide screens; on a phone, a top bar (name, workspace,
 * account) over one row of links that scrolls sideways inside itself, the incident badge in it.
 */
export function Sidebar({ openIncidents, email, role, workspaces, currentWorkspace, t, locale, canChangePassword }: Props) {
  return (
    <aside className="sticky top-0 z-20 flex shrink-0 flex-col gap-2 bg-sidebar px-3 py-2 text-sidebar-text md:static md:h-auto md:min-h-screen md:w-60 md:gap-6 md:py-5">
      <div className="flex items-center gap-3 pr-24 md:flex-col md:items-stretch md:gap-6 md:pr-0">
        <p className="text-lg font-semibold text-white md:px-3">Jobboard</p>
        <div className="min-w-0 flex-1 md:px-3">
          <WorkspaceSwitcher workspaces={workspaces} current={currentWorkspace} label={t("nav.workspace")} />
        </div>
      </div>
      <nav aria-label={t("nav.main")} className="-mx-3 flex gap-1 overflow-x-auto px-3 md:mx-0 md:flex-col md:overflow-visible md:px-0">
        <NavLink href="/">{t("nav.overview")}</NavLink>
        <NavLink href="/incidents">
          <span>{t("nav.incidents")}</span>
          {openIncidents > 0 ? (
            <span
              data-testid="incident-badge"
              aria-label={t("badge.openIncidents", { count: openIncidents })}
              className="min-w-6 rounded-full bg-danger px-2 py-0.5 text-center text-xs font-semibold text-white"
            >
              {openIncidents}
            </span>
          ) : null}
        </NavLink>
        <NavLink href="/jobs">{t("nav.jobs")}</NavLink>
        <NavLink href="/runs">{t("nav.runs")}</NavLink>
        <NavLink href="/agents">{t("nav.agents")}</NavLink>
        <NavLink href="/maintenance">{t("nav.maintenance")}</NavLink>
        <NavLink href="/settings">{t("nav.settings")}</NavLink>
        <NavLink href="/audit">{t("nav.audit")}</NavLink>
      </nav>
      {/* Once in the page: top right of the phone's bar, at the foot of the sidebar. */}
      <div className="absolute right-3 top-2 md:static md:mt-auto">
        <AccountMenu email={email} label={t("nav.account")}>
          <LanguageSwitcher current={locale} label={t("nav.language")} />
          <p className="truncate text-white" title={email}>
            {email}
          </p>
          <p className="text-xs text-sidebar-text/70">{role}</p>
          {canChangePassword ? (
            <Link href="/account/password" className="block text-sm underline hover:text-white">
              {t("account.link")}
            </Link>
          ) : null}
          <form action={signOutAction}>
            <button type="submit" className="text-sm underline hover:text-white">
              {t("nav.signOut")}
            </button>
          </form>
        </AccountMenu>
      </div>
    </aside>
  );
}
