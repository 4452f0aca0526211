"use client";

import { setLocaleAction } from "@/server/auth/session-actions";

export function LanguageSwitcher({ current, label }: { current: string; label: string }) {
  return (
    <form action={setLocaleAction}>
      <label className="sr-only" htmlFor="language-switcher">
        {label}
      </label>
      <select
        id="language-switcher"
        name="locale"
        defaultValue={current}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="rounded-card border border-white/10 bg-sidebar-active px-2 py-1 text-xs text-white"
      >
        <option value="en">English</option>
        <option value="ja">日本語</option>
      </select>
    </form>
  );
}
