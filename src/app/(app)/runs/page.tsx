import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/shell/placeholder-page";

export const metadata: Metadata = { title: "Runs" };

export default function Page() {
  return <PlaceholderPage title="Runs" description="Every execution of every job, newest first." upcoming="The run list with filters is on its way." />;
}
