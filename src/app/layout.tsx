import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Jobboard", template: "%s · Jobboard" },
  description: "Know the moment a scheduled job fails, see why, and rerun it.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next can only put the middleware's CSP nonce on the
  // scripts of a page it renders now, and a prerendered page's scripts would be blocked.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
