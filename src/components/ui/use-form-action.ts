"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import type { ActionState } from "@/lib/action-state";

/**
 * useActionState, submitted by hand: React resets a form passed to `action` once the action
 * ends, which would wipe what was typed whenever the server names a problem. Forms that should
 * empty after a success (invite, new key) ask for it with `resetOnSuccess` and attach `formRef`.
 */
export function useFormAction<S extends ActionState>(
  action: (state: S, form: FormData) => Promise<S>,
  initial: S,
  options: { resetOnSuccess?: boolean } = {},
) {
  const [state, dispatch, isPending] = useActionState<S, FormData>(action, initial as Awaited<S>);
  const formRef = useRef<HTMLFormElement>(null);
  const { resetOnSuccess } = options;
  useEffect(() => {
    if (resetOnSuccess && state.ok) formRef.current?.reset();
  }, [state, resetOnSuccess]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(form));
  };
  return { state, onSubmit, isPending, formRef };
}
