import type { ReactNode } from "react";
import { AdminDisclosure } from "@/components/ui/admin-disclosure";

/** Text with `backticked` commands shown as code (the server's fixes are written that way). */
export function WithCode({ text }: { text: string }) {
  const parts = text.split("`");
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.8125rem] text-slate-900">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

/**
 * The technical side of a problem (codes, URLs, environment variables, shell commands), kept out of the clinician's
 * way behind one disclosure that they can pass on to whoever runs the server.
 */
export function AdminDetails({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <AdminDisclosure testId={testId} className="group mt-3 text-sm" summaryClassName="font-medium text-slate-700">
      <dl className="mt-2 space-y-2 rounded-md border border-slate-200 bg-white p-3 text-slate-800">{children}</dl>
    </AdminDisclosure>
  );
}

export function DetailRow({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:grid-cols-[9rem_1fr] sm:gap-3">
      <dt className="font-medium text-slate-600">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
