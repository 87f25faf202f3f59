import type { ReactNode } from "react";
import { cx } from "./class-names";

/** What a Field hands its control so that label, control and message stay tied together for assistive tech. */
export type ControlProps = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/** A validation message; renders nothing without one. Its id is also its test id, so tests find it the way ARIA does. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={id} className="text-xs text-red-700" data-testid={id}>
      {message}
    </span>
  ) : null;
}

/**
 * A labelled control with its error below it, or else its hint. `children` renders the control, given the id and
 * ARIA attributes that tie label, control and message together; `noteId` names the message (default: the id), for
 * two controls that share one message. `footer` goes below the message and is not announced with the control.
 */
export function Field({
  id,
  noteId = id,
  label,
  error,
  hint,
  footer,
  className,
  children,
}: {
  id: string;
  noteId?: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  footer?: ReactNode;
  /** layout classes for the wrapper, e.g. to let it grow in a row */
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const errorId = `${noteId}-error`;
  const hintId = `${noteId}-hint`;
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": error ? errorId : hint ? hintId : undefined,
      })}
      {error ? (
        <FieldError id={errorId} message={error} />
      ) : hint ? (
        <span id={hintId} className="text-xs text-slate-500">
          {hint}
        </span>
      ) : null}
      {footer}
    </div>
  );
}

/** A titled group of fields on a white card. */
export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}
