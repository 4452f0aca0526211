import type { z } from "zod";
import { cleanText } from "./clean-text";

/** What a form's server action answers: a message for the form, and one per field. */
export type ActionState = {
  ok?: boolean;
  error?: string;
  fieldErrors?: Record<string, string>;
};

/** The first message for each field named in a zod error. */
export function fieldErrors(error: z.ZodError, message = "Please correct the highlighted fields."): ActionState {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "form";
    errors[field] ??= issue.message;
  }
  return { error: message, fieldErrors: errors };
}

/** A submitted form's text fields (files left out, text cleaned as cleanText does), ready for a zod schema. */
export function formFields(form: FormData): Record<string, string> {
  return Object.fromEntries(
    [...form.entries()]
      .filter((entry): entry is [string, string] => typeof entry[1] === "string")
      .map(([name, value]) => [name, cleanText(value)]),
  );
}
