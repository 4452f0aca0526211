"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

export function CopyButton({ value, label }: { value: string; label: string }) {
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
      {copied === "yes" ? "Copied" : copied === "failed" ? "Select and copy it" : label}
    </Button>
  );
}
