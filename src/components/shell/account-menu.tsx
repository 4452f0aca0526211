"use client";

import { useState } from "react";

/**
 * The account block: always shown in the desktop sidebar, folded behind one button in the phone
 * top bar so the navigation keeps the width. Rendered once, so every control exists once.
 */
export function AccountMenu({ email, label, children }: { email: string; label: string; children: React.ReactNode }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <div className="relative">
      <button
        type="button"
        aria-expanded={isOpen}
        aria-controls="account-menu"
        onClick={() => setOpen((open) => !open)}
        className="max-w-40 truncate rounded-card border border-white/10 px-2 py-1 text-xs text-white md:hidden"
        title={email}
      >
        {label}
      </button>
      <div
        id="account-menu"
        className={`${isOpen ? "block" : "hidden"} absolute right-0 top-full z-30 mt-2 w-64 space-y-2 rounded-card bg-sidebar p-3 text-sm shadow-xl md:static md:mt-0 md:block md:w-auto md:p-0 md:px-3 md:shadow-none`}
      >
        {children}
      </div>
    </div>
  );
}
