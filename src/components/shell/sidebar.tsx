import Link from "next/link";
import type { Locale, Translate } from "@/lib/i18n/messages";
import { signOutAction } from "@/server/auth/actions";
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

export function Sidebar({ openIncidents, email, role, workspaces, currentWorkspace, t, locale, canChangePassword }: Props) {
  return (
    <aside className="flex w-60 shrink-0 flex-col gap-6 bg-sidebar px-3 py-5 text-sidebar-text">
      <p className="px-3 text-lg font-semibold text-white">Jobboard</p>
      <div className="px-3">
        <WorkspaceSwitcher workspaces={workspaces} current={currentWorkspace} label={t("nav.workspace")} />
      </div>
      <nav aria-label="Main" className="flex flex-col gap-1">
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
      <div className="mt-auto space-y-2 px-3 text-sm">
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
      </div>
    </aside>
  );
}
