import type { Metadata } from "next";
import { PlaceholderPage } from "@/components/shell/placeholder-page";

export const metadata: Metadata = { title: "Jobs" };

export default function Page() {
  return <PlaceholderPage title="Jobs" description="Every job that reports to this workspace or that Jobboard runs." upcoming="The job list with health, schedules and history is on its way." />;
}
