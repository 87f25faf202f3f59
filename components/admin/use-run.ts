import { useQuery } from "@tanstack/react-query";
import { RunViewSchema } from "@/lib/schemas/eval";
import { apiJson, isActiveStatus, POLL_MS } from "./api";

export const runQueryKey = (id: string) => ["run", id] as const;

/** The run with its per-model summary; every component of the run page shares this query and its polling. */
export function useRun(id: string) {
  return useQuery({
    queryKey: runQueryKey(id),
    queryFn: () => apiJson(`/api/runs/${encodeURIComponent(id)}`, RunViewSchema),
    refetchInterval: (q) => (isActiveStatus(q.state.data?.status) ? POLL_MS : false),
  });
}
