import Link from "next/link";

const TABS = [
  { href: "/settings", label: "General" },
  { href: "/settings/members", label: "Members" },
  { href: "/settings/keys", label: "Ingest keys" },
];

export function SettingsTabs({ current }: { current: string }) {
  return (
    <nav aria-label="Settings" className="mb-6 flex gap-1 border-b border-border text-sm">
      {TABS.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 ${tab.href === current ? "border-accent font-medium" : "border-transparent text-muted hover:text-text"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
