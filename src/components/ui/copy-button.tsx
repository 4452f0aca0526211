"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";

export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useT();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <Button
      type="button"
      variant="secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied("yes");
        } catch {
          // Without clipboard access (plain http, a denied permission), the text is still selectable.
          setCopied("failed");
        }
      }}
    >
      {copied === "yes" ? t("copy.copied") : copied === "failed" ? t("copy.failed") : label}
    </Button>
  );
}

/** A secret or link shown once, to be copied whole: it wraps anywhere rather than hide a part. */
export function CopyableCode({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <p className="flex flex-wrap items-center gap-2">
      <code data-testid={testId} className="break-all rounded bg-surface px-2 py-1 font-mono">
        {value}
      </code>
      <CopyButton value={value} label={label} />
    </p>
  );
}
