import "server-only";
import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { fieldErrors, formFields, type ActionState } from "@/lib/action-state";
import { localizeActionState } from "@/lib/i18n/server-text";
import type { Locale } from "@/lib/i18n/messages";
import { serverMessage, type ServerMessageKey } from "@/lib/i18n/server-messages";
import { getLocale } from "@/lib/i18n/server";
import { INSUFFICIENT_PRIVILEGE, isAppError, sqlState } from "../errors";
import { hasRole, type Role } from "../workspaces/roles";
import type { Actor } from "./actor";
import { getAppContext, type AppContext } from "./context";

/** What an action's body gets: the current workspace, who acts, and transactions under their RLS. */
export type ActionContext = Pick<AppContext, "workspace" | "user" | "db"> & { actor: Actor; locale: Locale };

/** A path to revalidate once the action succeeds; `{ layout }` revalidates everything below it. */
export type Revalidation = string | { layout: string };

type ActionOptions<S extends z.ZodType, R extends ActionState> = {
  /** The least role that may run it, checked before the form is read. */
  role: Role;
  /** What a lower role (or an RLS refusal) is told. */
  refusal: ServerMessageKey;
  schema: S;
  /** The form as the schema reads it; by default its text fields. */
  read?: (form: FormData) => unknown;
  /** A refused form's answer, when the action can add to it (a taken key, for example). */
  invalid?: (refused: ActionState, form: FormData, context: ActionContext) => Promise<ActionState>;
  revalidate?: (input: z.output<S>, result: R) => Revalidation[];
  /** Where to go once it succeeded, instead of answering the form. */
  redirectTo?: (input: z.output<S>, result: R) => string | null;
};

/** An action's work; answering nothing means it succeeded. */
type ActionBody<S extends z.ZodType, R extends ActionState> = (input: z.output<S>, context: ActionContext) => Promise<NoInfer<R> | void>;

/** What an action needs from the request it runs in; tests give their own. */
export type ActionScope = {
  context: () => Promise<Pick<AppContext, "workspace" | "user" | "db">>;
  locale: () => Promise<Locale>;
  revalidate: (target: Revalidation) => void;
  redirect: (path: string) => never;
};

const requestScope: ActionScope = {
  context: getAppContext,
  locale: getLocale,
  revalidate: (target) => (typeof target === "string" ? revalidatePath(target) : revalidatePath(target.layout, "layout")),
  redirect: (path) => redirect(path),
};

/**
 * A server action on the signed-in user's current workspace. The role is checked first (RLS
 * would refuse too; this says why, and a refused caller costs no parsing), then the form is
 * parsed. AppErrors and RLS refusals become messages in the reader's language; anything else is
 * logged and answered with a generic message, never shown.
 */
export function workspaceAction<S extends z.ZodType, R extends ActionState = ActionState>(
  options: ActionOptions<S, R>,
  body: ActionBody<S, R>,
): (previous: R, form: FormData) => Promise<R> {
  return scopedAction(requestScope, options, body);
}

/** workspaceAction in a given scope. */
export function scopedAction<S extends z.ZodType, R extends ActionState = ActionState>(
  scope: ActionScope,
  options: ActionOptions<S, R>,
  body: ActionBody<S, R>,
): (previous: R, form: FormData) => Promise<R> {
  return async (_previous, form) => {
    const { workspace, user, db } = await scope.context();
    const locale = await scope.locale();
    const context: ActionContext = { workspace, user, db, locale, actor: { userId: user.id, email: user.email } };
    const answer = (state: ActionState) => localizeActionState(state, locale) as R;
    if (!hasRole(workspace.role, options.role)) return answer({ error: serverMessage(options.refusal, locale) });
    let input: z.output<S>;
    let result: R;
    try {
      const parsed = options.schema.safeParse((options.read ?? formFields)(form));
      if (!parsed.success) {
        const refused = fieldErrors(parsed.error);
        return answer(options.invalid ? await options.invalid(refused, form, context) : refused);
      }
      input = parsed.data;
      result = (await body(input, context)) ?? ({ ok: true } as R);
    } catch (error) {
      unstable_rethrow(error);
      return answer(answerForError(error, "server action failed", locale, options.refusal));
    }
    if (!result.ok) return answer(result);
    for (const target of options.revalidate?.(input, result) ?? []) scope.revalidate(target);
    const destination = options.redirectTo?.(input, result);
    if (destination) scope.redirect(destination);
    return result;
  };
}

/**
 * For actions outside a workspace (signing up, accepting an invitation): runs `work`, then goes
 * to `destination`. What `work` answers, or a refusal it throws, is answered instead.
 */
export async function thenRedirect(what: string, destination: string, work: () => Promise<ActionState | void>): Promise<ActionState> {
  let answer: ActionState | void;
  try {
    answer = await work();
  } catch (error) {
    return answerForError(error, what, await getLocale());
  }
  if (answer) return answer;
  redirect(destination);
}

/** A form's answer for what an action threw: its own message when a person can act on it, else a generic one. */
export function answerForError(error: unknown, what: string, locale: Locale, refusal?: ServerMessageKey): ActionState {
  if (isAppError(error)) {
    const message = error.localized(locale);
    return { error: message, fieldErrors: error.field ? { [error.field]: message } : undefined };
  }
  if (refusal && sqlState(error) === INSUFFICIENT_PRIVILEGE) return { error: serverMessage(refusal, locale) };
  console.error(what, error);
  return { error: "Something went wrong on our side. Please try again." };
}
