import { signOutAction } from "@/server/auth/actions";
import { NavLink } from "./nav-link";
import { WorkspaceSwitcher } from "./workspace-switcher";

type Props = {
  openIncidents: number;
  email: string;
  role: string;
  workspaces: { slug: string; name: string }[];
  currentWorkspace: string;
};

export function Sidebar({ openIncidents, email, role, workspaces, currentWorkspace }: Props) {
  return (
    <aside className="flex w-60 shrink-0 flex-col gap-6 bg-sidebar px-3 py-5 text-sidebar-text">
      <p className="px-3 text-lg font-semibold text-white">Jobboard</p>
      <div className="px-3">
        <WorkspaceSwitcher workspaces={workspaces} current={currentWorkspace} />
      </div>
      <nav aria-label="Main" className="flex flex-col gap-1">
        <NavLink href="/">Overview</NavLink>
        <NavLink href="/incidents">
          <span>Incidents</span>
          {openIncidents > 0 ? (
            <span
              data-testid="incident-badge"
              aria-label={`${openIncidents} open incident${openIncidents === 1 ? "" : "s"}`}
              className="min-w-6 rounded-full bg-danger px-2 py-0.5 text-center text-xs font-semibold text-white"
            >
              {openIncidents}
            </span>
          ) : null}
        </NavLink>
        <NavLink href="/jobs">Jobs</NavLink>
        <NavLink href="/runs">Runs</NavLink>
        <NavLink href="/settings">Settings</NavLink>
        <NavLink href="/audit">Audit</NavLink>
      </nav>
      <div className="mt-auto px-3 text-sm">
        <p className="truncate text-white" title={email}>
          {email}
        </p>
        <p className="text-xs text-sidebar-text/70">{role}</p>
        <form action={signOutAction} className="mt-2">
          <button type="submit" className="text-sm underline hover:text-white">
            Sign out
          </button>
        </form>
      </div>
    </aside>
  );
}
