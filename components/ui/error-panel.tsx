import type { ReactNode } from "react";
import type { ErrorBody } from "@/lib/schemas/ask";
import { cx } from "./class-names";

/** The red alert box of a failed request with the server's message on top; `children` follow the message. */
export function ErrorAlert({
  error,
  className,
  children,
}: {
  error: ErrorBody;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      role="alert"
      data-testid="error-panel"
      className={cx(className, "rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900")}
    >
      <p className="font-semibold">{error.message}</p>
      {children}
    </div>
  );
}

export function ErrorPanel({ error }: { error: ErrorBody }) {
  return (
    <ErrorAlert error={error}>
      {error.fix ? <p className="mt-1">How to fix: {error.fix}</p> : null}
      {error.issues?.length ? (
        <ul className="mt-2 list-disc pl-5">
          {error.issues.map((i) => (
            <li key={`${i.path.join(".")}:${i.message}`}>
              <code>{i.path.join(".") || "body"}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="mt-2 text-xs text-red-700">Error code: {error.code}</p>
    </ErrorAlert>
  );
}
