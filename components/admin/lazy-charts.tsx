"use client";

import dynamic from "next/dynamic";

/**
 * The charts, loaded on demand: recharts is large and only the run and compare pages draw charts, so it is fetched
 * in a chunk of its own when one of these first renders (never on the clinician page, nor on the runs list). Not
 * rendered on the server: the charts measure their box in the browser. Each chart on the page also has its numbers
 * in a table, which shows without waiting for this.
 */
function Placeholder() {
  return <div className="h-56 w-full animate-pulse rounded-md bg-slate-100" aria-hidden />;
}

export const Histogram = dynamic(() => import("./charts").then((m) => m.Histogram), {
  ssr: false,
  loading: Placeholder,
});
export const ReliabilityChart = dynamic(() => import("./charts").then((m) => m.ReliabilityChart), {
  ssr: false,
  loading: Placeholder,
});
export const ConfidenceHistogram = dynamic(() => import("./charts").then((m) => m.ConfidenceHistogram), {
  ssr: false,
  loading: Placeholder,
});
export const CoverageChart = dynamic(() => import("./charts").then((m) => m.CoverageChart), {
  ssr: false,
  loading: Placeholder,
});

export type { Bin } from "./charts";
