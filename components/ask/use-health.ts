"use client";

import { useQuery } from "@tanstack/react-query";
import { sameModel } from "@/lib/models/ref";
import { HealthResponseReader } from "@/lib/schemas/read-ask";
import type { HealthResponse } from "@/lib/schemas/service";

async function fetchHealth(): Promise<HealthResponse> {
  // 503 still carries a HealthResponse body describing what is down.
  const res = await fetch("/api/health", { cache: "no-store" });
  return HealthResponseReader.parse(await res.json());
}

/** The backend's health, shared by the banner and the form (one request, polled; faster while a model downloads). */
export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: fetchHealth,
    refetchInterval: (q) => (q.state.data?.pull?.status === "downloading" ? 2000 : 15_000),
  });
}

export type Availability =
  | { kind: "checking" | "ready" }
  | { kind: "unreachable" | "unavailable" | "unchecked"; health: HealthResponse | null }
  | { kind: "downloading"; health: HealthResponse; percent: number | null }
  | { kind: "default-missing"; health: HealthResponse };

/** What the health report means for someone about to ask. */
export function availability(health: HealthResponse | undefined, failed: boolean): Availability {
  if (!health) return failed ? { kind: "unreachable", health: null } : { kind: "checking" };
  if (health.status === "ok") return { kind: "ready" };
  if (health.status === "unavailable") {
    const pull = health.pull;
    if (pull && (pull.status === "downloading" || pull.status === "verifying")) {
      const percent = pull.totalBytes ? Math.floor((pull.receivedBytes / pull.totalBytes) * 100) : null;
      return { kind: "downloading", health, percent };
    }
    return { kind: "unavailable", health };
  }
  return health.defaultModel.present === false ? { kind: "default-missing", health } : { kind: "unchecked", health };
}

/**
 * Why Ask cannot be pressed for `model` now, in the clinician's words; null when it can. Only a definite "no" blocks:
 * while the status is unknown (still checking, or the check itself failed) asking is allowed and fails honestly.
 */
export function askBlockedReason(a: Availability, model: string): string | null {
  if (a.kind === "unavailable") return "Ask is unavailable: no model is running on the server.";
  if (a.kind === "downloading") return "Ask is unavailable until the model has finished downloading.";
  if (a.kind === "default-missing" && sameModel(model, a.health.defaultModel.name))
    return "Ask is unavailable for this model: it is not installed on the server. Choose another model.";
  return null;
}
