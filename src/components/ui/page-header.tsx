import { AutoRefresh } from "@/components/overview/auto-refresh";

/** A page's title and description; `live` keeps the page fresh from the server while it is visible. */
export function PageHeader({ title, description, live }: { title: string; description?: string; live?: { label: string; seconds?: number } }) {
  return (
    <header className="mb-6 flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-muted">{description}</p> : null}
      </div>
      {live ? <AutoRefresh seconds={live.seconds ?? 5} label={live.label} /> : null}
    </header>
  );
}
