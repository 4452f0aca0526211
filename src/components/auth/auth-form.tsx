import type { ComponentProps, ReactNode } from "react";
import { Button } from "@/components/ui/button";

/**
 * A sign-in page's form: what the server said on top, the fields, and one full-width submit
 * that says when it is working.
 */
export function AuthForm({
  notice,
  isPending,
  submit,
  pending,
  children,
  ...form
}: Omit<ComponentProps<"form">, "className"> & { notice: ReactNode; isPending: boolean; submit: string; pending?: string }) {
  return (
    <form className="space-y-4" {...form}>
      {notice}
      {children}
      <Button type="submit" className="w-full" disabled={isPending}>
        {isPending && pending ? pending : submit}
      </Button>
    </form>
  );
}
