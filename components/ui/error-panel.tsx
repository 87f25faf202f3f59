import type { ErrorBody } from "@/lib/schemas/ask";

export function ErrorPanel({ error }: { error: ErrorBody }) {
  return (
    <div
      role="alert"
      data-testid="error-panel"
      className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
    >
      <p className="font-semibold">{error.message}</p>
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
    </div>
  );
}
