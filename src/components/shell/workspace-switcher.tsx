"use client";

import { Options } from "@/components/ui/field";
import { switchWorkspaceAction } from "@/server/auth/session-actions";
import { Switcher } from "./switcher";

type Option = { slug: string; name: string };

export function WorkspaceSwitcher({ workspaces, current, label }: { workspaces: Option[]; current: string; label: string }) {
  return (
    <Switcher action={switchWorkspaceAction} id="workspace-switcher" name="slug" current={current} label={label} isStacked noscriptSubmit="Switch">
      <Options choices={workspaces.map((workspace) => ({ value: workspace.slug, label: workspace.name }))} />
    </Switcher>
  );
}
