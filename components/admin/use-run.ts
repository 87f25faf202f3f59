import { useQuery } from "@tanstack/react-query";
import { RunViewReader } from "./read-eval";
import { apiJson, isActiveStatus, POLL_MS } from "./api";

const MIRROR_POLL_MS = 4000;

export const runQueryKey = (id: string) => ["run", id] as const;

/** The run with its per-model summary; every component of the run page shares this query and its polling. */
export function useRun(id: string) {
  return useQuery({
    queryKey: runQueryKey(id),
    queryFn: () => apiJson(`/api/runs/${encodeURIComponent(id)}`, RunViewReader),
    refetchInterval: (q) => {
      const run = q.state.data;
      if (isActiveStatus(run?.status)) return POLL_MS;
      // A finished run is mirrored to Weave in the background; follow it, more slowly, until it settles.
      return run?.mirror.status === "pending" ? MIRROR_POLL_MS : false;
    },
  });
}
