"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { WORKSPACE_COOKIE, getAppContext } from "../auth/context";

const switchSchema = z.object({ slug: z.string().min(1).max(48) });

/** Makes another of the user's workspaces the current one; unknown slugs change nothing. */
export async function switchWorkspaceAction(form: FormData): Promise<void> {
  const input = switchSchema.safeParse({ slug: form.get("slug") });
  const { workspaces } = await getAppContext();
  if (input.success && workspaces.some((w) => w.slug === input.data.slug)) {
    (await cookies()).set(WORKSPACE_COOKIE, input.data.slug, { path: "/", sameSite: "lax", httpOnly: true });
  }
  redirect("/");
}
