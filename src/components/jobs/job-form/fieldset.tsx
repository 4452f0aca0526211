import type { FieldsetHTMLAttributes } from "react";
import type { JobFormDefaults } from "@/server/jobs/form-defaults";

/** What every part of the job form reads: the values it starts from and the server's answer per field. */
export type FieldsetProps = { defaults: JobFormDefaults; errors: Record<string, string> };

/** One titled part of the job form. */
export function JobFieldset({ legend, children, ...fieldset }: FieldsetHTMLAttributes<HTMLFieldSetElement> & { legend?: string }) {
  return (
    <fieldset {...fieldset}>
      {legend ? <legend className="mb-2 text-sm font-semibold text-muted">{legend}</legend> : null}
      {children}
    </fieldset>
  );
}
