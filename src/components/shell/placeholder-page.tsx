import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getAppContext } from "@/server/auth/context";

/** A signed-in page whose content has not been built yet; says so plainly. */
export async function PlaceholderPage({ title, description, upcoming }: { title: string; description: string; upcoming: string }) {
  await getAppContext();
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState title="Nothing to show here yet">{upcoming}</EmptyState>
    </>
  );
}
