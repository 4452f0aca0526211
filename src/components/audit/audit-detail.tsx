import type { Translate } from "@/lib/i18n/messages";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An edit's detail: `{before, after}` objects of the fields that changed (creations have only `after`). */
function changesOf(detail: JsonObject): { before: JsonObject; after: JsonObject; rest: JsonObject } | null {
  const { before, after, ...rest } = detail;
  if (!isObject(before) && !isObject(after)) return null;
  return { before: isObject(before) ? before : {}, after: isObject(after) ? after : {}, rest };
}

function Value({ value, isPresent }: { value: unknown; isPresent: boolean }) {
  if (!isPresent) return <span className="text-muted">—</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  // Long values wrap between words; only a word longer than the column breaks.
  return <pre tabIndex={0} className="max-h-48 overflow-auto whitespace-pre-wrap break-words font-mono text-xs">{text}</pre>;
}

function Json({ value }: { value: unknown }) {
  return (
    <pre tabIndex={0} className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-card bg-canvas p-2 font-mono text-xs">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/**
 * An audit entry's detail, collapsed: an edit's before/after field by field, side by side;
 * anything else as pretty-printed JSON.
 */
export function AuditDetail({ detail, t }: { detail: unknown; t: Translate }) {
  if (detail == null || (isObject(detail) && Object.keys(detail).length === 0)) return <span className="text-muted">—</span>;
  const changes = isObject(detail) ? changesOf(detail) : null;
  if (!changes) {
    return (
      <details>
        <summary className="cursor-pointer text-accent">{t("audit.showDetail")}</summary>
        <div className="mt-2">
          <Json value={detail} />
        </div>
      </details>
    );
  }
  const fields = [...new Set([...Object.keys(changes.before), ...Object.keys(changes.after)])];
  return (
    <details>
      <summary className="cursor-pointer text-accent">{t("audit.changes", { count: fields.length })}</summary>
      <table className="mt-2 w-full table-fixed text-left text-xs">
        <thead className="text-muted">
          <tr>
            <th scope="col" className="w-1/3 py-1 pr-2 font-medium">{t("audit.field")}</th>
            <th scope="col" className="py-1 pr-2 font-medium">{t("audit.before")}</th>
            <th scope="col" className="py-1 font-medium">{t("audit.after")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border align-top">
          {fields.map((field) => (
            <tr key={field}>
              <th scope="row" className="break-all py-1 pr-2 font-mono font-normal">{field}</th>
              <td className="py-1 pr-2 text-danger">
                <Value value={changes.before[field]} isPresent={field in changes.before} />
              </td>
              <td className="py-1 text-success">
                <Value value={changes.after[field]} isPresent={field in changes.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.keys(changes.rest).length > 0 ? (
        <div className="mt-2">
          <p className="mb-1 text-xs text-muted">{t("audit.more")}</p>
          <Json value={changes.rest} />
        </div>
      ) : null}
    </details>
  );
}
