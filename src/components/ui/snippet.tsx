import { CopyButton } from "./copy-button";

/**
 * A command to paste, with its name and a copy button. Long lines wrap rather than scroll, so
 * no part of a token or URL is hidden on a narrow screen.
 */
export function Snippet({ title, text, copyLabel, className = "" }: { title?: string; text: string; copyLabel: string; className?: string }) {
  return (
    <div className={className}>
      <div className="mb-1 flex items-center justify-between gap-2">
        {title ? <p className="font-medium">{title}</p> : <span />}
        <CopyButton value={text} label={copyLabel} />
      </div>
      <pre className="whitespace-pre-wrap break-all rounded-card bg-sidebar p-3 text-left font-mono text-xs text-sidebar-text">{text}</pre>
    </div>
  );
}
