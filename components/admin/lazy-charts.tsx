"use client";

import { lazy, Suspense, useSyncExternalStore, type ComponentType } from "react";
import type * as Charts from "./charts";

/**
 * The charts, loaded on demand: recharts is large and only the run and compare pages draw charts, so it is fetched
 * in a chunk of its own when one of these first renders (never on the clinician page, nor on the runs list). Not
 * rendered on the server: the charts measure their box in the browser. Each chart on the page also has its numbers
 * in a table, which shows without waiting for this.
 *
 * React.lazy and a hydration check rather than next/dynamic: same behaviour, without next/dynamic's loader code in
 * the pages' first-load JavaScript (about 2.5 kB gzip; bench/bundle-size.ts).
 */
function Placeholder() {
  return <div className="h-56 w-full animate-pulse rounded-md bg-slate-100" aria-hidden />;
}

const noSubscription = () => () => {};
/** False while rendering on the server and hydrating, true afterwards (and in a browser-only render). */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

const load = () => import("./charts");

function browserOnly<P extends object>(pick: (m: typeof Charts) => ComponentType<P>): ComponentType<P> {
  const Chart = lazy(() => load().then((m) => ({ default: pick(m) })));
  return function LazyChart(props: P) {
    if (!useHydrated()) return <Placeholder />;
    return (
      <Suspense fallback={<Placeholder />}>
        <Chart {...props} />
      </Suspense>
    );
  };
}

export const Histogram = browserOnly((m) => m.Histogram);
export const ReliabilityChart = browserOnly((m) => m.ReliabilityChart);
export const ConfidenceHistogram = browserOnly((m) => m.ConfidenceHistogram);
export const CoverageChart = browserOnly((m) => m.CoverageChart);

export type { Bin } from "./charts";
