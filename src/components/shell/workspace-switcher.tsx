"use client";

import { switchWorkspaceAction } from "@/server/auth/session-actions";

type Option = { slug: string; name: string };

export function WorkspaceSwitcher({ workspaces, current, label }: { workspaces: Option[]; current: string; label: string }) {
  return (
    <form action={switchWorkspaceAction}>
      <label className="block text-xs uppercase tracking-wide text-sidebar-text/70" htmlFor="workspace-switcher">
        {label}
      </label>
      <select
        id="workspace-switcher"
        name="slug"
        defaultValue={current}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="mt-1 w-full rounded-card border border-white/10 bg-sidebar-active px-2 py-1.5 text-sm text-white"
      >
        {workspaces.map((workspace) => (
          <option key={workspace.slug} value={workspace.slug}>
            {workspace.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="mt-1 text-xs underline">
          Switch
        </button>
      </noscript>
    </form>
  );
}
