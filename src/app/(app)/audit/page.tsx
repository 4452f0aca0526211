import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/shell/placeholder-page";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return <PlaceholderPage title="Audit log" description="Who did what, and when." upcoming="The audit log viewer is on its way." />;
}
