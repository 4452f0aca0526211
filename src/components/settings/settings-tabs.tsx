import Link from "next/link";
import type { Translate } from "@/lib/i18n/messages";

const TABS = [
  { href: "/settings", label: "settings.tab.general" },
  { href: "/settings/members", label: "settings.tab.members" },
  { href: "/settings/keys", label: "settings.tab.keys" },
  { href: "/settings/agents", label: "agents.tokens.tab" },
] as const;

export function SettingsTabs({ current, t }: { current: string; t: Translate }) {
  return (
    <nav aria-label={t("settings.tabs")} className="mb-6 flex gap-1 overflow-x-auto border-b border-border text-sm">
      {TABS.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={`-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-2 ${tab.href === current ? "border-accent font-medium" : "border-transparent text-muted hover:text-text"}`}
        >
          {t(tab.label)}
        </Link>
      ))}
    </nav>
  );
}
