"use client";

// First: zod must be told before Scalar's modules build their schemas (see the file).
import "./zod-jitless";
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import "./scalar-overrides.css";
import { useMemo } from "react";
import { referenceConfiguration } from "./reference-config";

/**
 * Scalar's reference (a Vue app inside a React wrapper), bundled with the app: loaded only by /docs, after the page
 * has rendered (components/docs/api-reference.tsx), so its code and styles stay out of every other page.
 */
export function ScalarReference({ origin, document }: { origin: string; document: Record<string, unknown> }) {
  // The wrapper hands a new configuration object to Scalar on every change of identity: made once.
  const configuration = useMemo(() => referenceConfiguration(origin, document), [origin, document]);
  return <ApiReferenceReact configuration={configuration} />;
}
