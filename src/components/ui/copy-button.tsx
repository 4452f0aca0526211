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
