"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionState } from "@/lib/action-state";

/**
 * useActionState, submitted by hand: React resets a form passed to `action` once the action
 * ends, which would wipe what was typed whenever the server names a problem.
 */
export function useFormAction<S extends ActionState>(action: (state: S, form: FormData) => Promise<S>, initial: S) {
  const [state, dispatch, isPending] = useActionState<S, FormData>(action, initial as Awaited<S>);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(form));
  };
  return { state, onSubmit, isPending };
}
