"use client";

import { setLocaleAction } from "@/server/auth/session-actions";
import { Switcher } from "./switcher";

export function LanguageSwitcher({ current, label }: { current: string; label: string }) {
  return (
    <Switcher action={setLocaleAction} id="language-switcher" name="locale" current={current} label={label}>
      <option value="en">English</option>
      <option value="ja">日本語</option>
    </Switcher>
  );
}
