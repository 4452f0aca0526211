import type { Metadata } from "next";
import { connection } from "next/server";
import { getLocale } from "@/lib/i18n/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Jobboard", template: "%s · Jobboard" },
  description: "Know the moment a scheduled job fails, see why, and rerun it.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next can only put the proxy's CSP nonce on the
  // scripts of a page it renders now, and a prerendered page's scripts would be blocked.
  await connection();
  // A screen reader picks its voice by this: Japanese pages say they are Japanese.
  return (
    <html lang={await getLocale()}>
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
