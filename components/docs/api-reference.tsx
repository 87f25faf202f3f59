"use client";

import { useEffect, useState, type ComponentType } from "react";
import { forReference } from "./reference-config";

type Reference = ComponentType<{ origin: string; document: Record<string, unknown> }>;
type State =
  | { kind: "loading" }
  | { kind: "ready"; Reference: Reference; origin: string; document: Record<string, unknown> }
  | { kind: "failed" };

async function loadDocument(): Promise<Record<string, unknown>> {
  const response = await fetch("/api/openapi.json");
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const document: unknown = await response.json();
  if (typeof document !== "object" || document === null) throw new Error("not an OpenAPI document");
  return forReference(document as Record<string, unknown>);
}

/**
 * The interactive reference of /api/openapi.json. Only in the browser: Scalar's code (a separate chunk, fetched
 * here from this server) and the document load side by side once the page is on screen; "Try it" sends to the
 * origin the page came from.
 */
export function ApiReference() {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([import("./scalar-reference"), loadDocument()]).then(
      ([{ ScalarReference }, document]) => {
        if (live) setState({ kind: "ready", Reference: ScalarReference, origin: window.location.origin, document });
      },
      () => {
        if (live) setState({ kind: "failed" });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  if (state.kind === "ready") return <state.Reference origin={state.origin} document={state.document} />;
  return (
    <div className="mx-auto max-w-5xl px-4 py-8 text-sm" role="status" data-testid="reference-status">
      {state.kind === "loading" ? (
        <p className="text-slate-600">Loading the interactive reference…</p>
      ) : (
        <p>
          The interactive reference could not be loaded; the document itself is at{" "}
          <a className="text-brand-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>
          .{" "}
          <button
            type="button"
            className="rounded text-brand-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
            onClick={() => {
              setState({ kind: "loading" });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </p>
      )}
    </div>
  );
}
