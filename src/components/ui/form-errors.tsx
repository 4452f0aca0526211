import type { ActionState } from "@/lib/action-state";
import { Alert } from "./alert";

/** A refused form's summary at its top: the message, then each field's problem linking to the field. */
export function FormErrors({ state }: { state: ActionState }) {
  if (!state.error) return null;
  const fields = Object.entries(state.fieldErrors ?? {}).filter(([name]) => name !== "form");
  return (
    <Alert>
      <p>{state.error}</p>
      {fields.length > 0 ? (
        <ul data-testid="form-error-summary" className="mt-1 list-disc pl-5">
          {fields.map(([name, message]) => (
            <li key={name}>
              <a href={`#${name}`} className="underline">
                {message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
