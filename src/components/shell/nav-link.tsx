"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  // Null only on a Pages Router page, which the shell never renders on.
  const pathname = usePathname() ?? "";
  const isActive = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={isActive ? "page" : undefined}
      className={`flex shrink-0 items-center justify-between gap-2 whitespace-nowrap rounded-card px-3 py-2 text-sm hover:bg-sidebar-active ${
        isActive ? "bg-sidebar-active font-medium text-white" : ""
      }`}
    >
      {children}
    </Link>
  );
}
