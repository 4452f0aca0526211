"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { isSecureCookies } from "@/lib/env";
import { LOCALES } from "@/lib/i18n/messages";
import { LOCALE_COOKIE } from "@/lib/i18n/server";
import { localPathOf } from "@/lib/local-path";
import { WORKSPACE_COOKIE, getAppContext, workspaceCookieOptions } from "./context";

const switchSchema = z.object({ slug: z.string().min(1).max(48) });

/** Makes another of the user's workspaces the current one; unknown slugs change nothing. */
export async function switchWorkspaceAction(form: FormData): Promise<void> {
  const input = switchSchema.safeParse({ slug: form.get("slug") });
  const { workspaces } = await getAppContext();
  if (input.success && workspaces.some((w) => w.slug === input.data.slug)) {
    (await cookies()).set(WORKSPACE_COOKIE, input.data.slug, workspaceCookieOptions());
  }
  redirect("/");
}

const localeSchema = z.object({ locale: z.enum(LOCALES) });

/** Remembers the chosen interface language for this browser. */
export async function setLocaleAction(form: FormData): Promise<void> {
  const input = localeSchema.safeParse({ locale: form.get("locale") });
  if (input.success) {
    (await cookies()).set(LOCALE_COOKIE, input.data.locale, {
      path: "/",
      sameSite: "lax",
      secure: isSecureCookies(),
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  redirect(localPathOf((await headers()).get("referer")));
}
