import type { ReactNode } from "react";
import { AdminDisclosure } from "@/components/ui/admin-disclosure";
import { ErrorAlert } from "@/components/ui/error-panel";
import type { ErrorBody } from "@/lib/schemas/ask";

/**
 * Technical details (error codes, request field names, server settings, URLs) kept behind one disclosure: the
 * researcher reads plain words; whoever runs the server opens this.
 */
export function AdminDetails({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <AdminDisclosure testId={testId} className="text-xs" summaryClassName="text-slate-600">
      <div className="mt-1 space-y-1 break-words text-slate-700">{children}</div>
    </AdminDisclosure>
  );
}

/**
 * A failed request, for the dashboard: the server's message and fix in plain view, its error code and the request
 * fields it objected to under "Details for your administrator". (components/ui's ErrorPanel shows all of it openly;
 * the clinician page has its own.)
 */
export function ProblemPanel({ error }: { error: ErrorBody }) {
  const hasDetails = Boolean(error.code || error.issues?.length);
  return (
    <ErrorAlert error={error} className="space-y-2">
      {error.fix ? <p>How to fix: {error.fix}</p> : null}
      {error.issues?.length ? (
        <ul className="list-disc pl-5">
          {error.issues.map((i) => (
            <li key={`${i.path.join(".")}:${i.message}`}>{i.message}</li>
          ))}
        </ul>
      ) : null}
      {hasDetails ? (
        <AdminDetails>
          <p>
            Error code: <code>{error.code}</code>
          </p>
          {error.issues?.map((i) => (
            <p key={`${i.path.join(".")}:${i.message}`}>
              <code>{i.path.join(".") || "body"}</code>: {i.message}
            </p>
          ))}
        </AdminDetails>
      ) : null}
    </ErrorAlert>
  );
}
