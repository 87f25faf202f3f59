import { apiJson } from "@/components/api-client";
import { ACTIVE_STATUSES, RunsListReader } from "./read-eval";

export { ApiError, apiJson, apiPost, errorBodyOf } from "@/components/api-client";
export type { DatasetView } from "./read-eval";

export const isActiveStatus = (status: string | undefined) =>
  (ACTIVE_STATUSES as readonly string[]).includes(status ?? "");

/** Live views poll at this interval while a run is queued or running. */
export const POLL_MS = 1500;

/**
 * The runs list, for the runs table and the compare page's run pickers (here, so that the compare page does not load
 * the runs table's code to get it).
 */
export const fetchRuns = () => apiJson("/api/runs", RunsListReader);
