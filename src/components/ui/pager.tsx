import Link from "next/link";

/**
 * A keyset list's two links: back to the first page (when not on it) and on to the next one
 * (when there is more). `params` are the list's filters, kept on both; the list's Page gives
 * `nextCursor`, which travels in `cursorParam`.
 */
export function Pager({
  path,
  params,
  cursorParam,
  isFirstPage,
  nextCursor,
  label,
  firstLabel,
  nextLabel,
}: {
  path: string;
  params: URLSearchParams;
  cursorParam: string;
  isFirstPage: boolean;
  nextCursor: string | null;
  label: string;
  firstLabel: string;
  nextLabel: string;
}) {
  return (
    <nav aria-label={label} className="mt-3 flex gap-3 text-sm">
      {isFirstPage ? null : (
        <Link href={`${path}?${params.toString()}`} className="text-accent hover:underline">
          {firstLabel}
        </Link>
      )}
      {nextCursor ? (
        <Link href={`${path}?${new URLSearchParams([...params, [cursorParam, nextCursor]]).toString()}`} className="text-accent hover:underline">
          {nextLabel}
        </Link>
      ) : null}
    </nav>
  );
}

/** The set filters of a list's query, as the query string its pages keep. */
export function filterParams(filters: Record<string, string | undefined>): URLSearchParams {
  return new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
}
