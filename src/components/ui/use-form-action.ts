"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import type { ActionState } from "@/lib/action-state";
import { useLocalized } from "@/lib/i18n/client";

/**
 * useActionState, submitted by hand: React resets a form passed to `action` once the action
 * ends, which would wipe what was typed whenever the server names a problem. Attach `formRef` to
 * the form: a refused submit then focuses its first invalid field, and forms that should empty
 * after a success (invite, new key) ask for it with `resetOnSuccess`.
 */
export function useFormAction<S extends ActionState>(
  action: (state: S, form: FormData) => Promise<S>,
  initial: S,
  options: { resetOnSuccess?: boolean } = {},
) {
  const [state, dispatch, isPending] = useLocalizedAction(action, initial);
  const formRef = useRef<HTMLFormElement>(null);
  const { resetOnSuccess } = options;
  useEffect(() => {
    if (resetOnSuccess && state.ok) formRef.current?.reset();
    // After a refused submit the eye goes where the problem is: the first field marked invalid.
    if (state.fieldErrors && Object.keys(state.fieldErrors).length > 0) {
      const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.scrollIntoView({ block: "center" });
      first?.focus({ preventScroll: true });
    }
  }, [state, resetOnSuccess]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(form));
  };
  return { state, onSubmit, isPending, formRef };
}

/**
 * useActionState, its state in the reader's language: the server writes English. For forms
 * posted as plain forms (`action`), which work before the page's script has loaded.
 */
export function useLocalizedAction<S extends ActionState>(action: (state: S, form: FormData) => Promise<S>, initial: S) {
  const [rawState, dispatch, isPending] = useActionState<S, FormData>(action, initial as Awaited<S>);
  return [useLocalized(rawState), dispatch, isPending] as const;
}

/** What useFormAction hands a form. */
export type FormAction = ReturnType<typeof useFormAction<ActionState>>;
