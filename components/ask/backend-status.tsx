import { useQuery } from "@tanstack/react-query";
import { HealthResponseSchema, type HealthResponse } from "@/lib/schemas/service";
import { backendStatusLabel } from "./backend-status-label";

async function fetchHealth() {
  // 503 still carries a HealthResponse body describing what is down.
  const res = await fetch("/api/health", { cache: "no-store" });
  return HealthResponseSchema.parse(await res.json());
}

const MB = 1024 * 1024;

function PullProgress({ pull }: { pull: NonNullable<HealthResponse["pull"]> }) {
  // A failure is already in the backend's detail line, with the ways out.
  if (pull.status === "done" || pull.status === "failed") return null;
  const pct = pull.totalBytes ? Math.floor((pull.receivedBytes / pull.totalBytes) * 100) : null;
  return (
    <span className="mt-1 block">
      Downloading {pull.model} for the embedded engine: {Math.round(pull.receivedBytes / MB)} MB
      {pull.totalBytes ? ` of ${Math.round(pull.totalBytes / MB)} MB` : ""}
      {pct !== null ? (
        <progress className="ml-2 align-middle" max={100} value={pct} aria-label="Model download progress">
          {pct}%
        </progress>
      ) : null}
    </span>
  );
}

/** Which backend answers (with MEDGPT_BACKEND=auto: Ollama or the embedded engine), and what to do when none does. */
export function BackendStatus() {
  const { data } = useQuery({
    queryKey: ["health"],
    queryFn: fetchHealth,
    // Poll faster while a model is downloading so the progress moves.
    refetchInterval: (q) => (q.state.data?.pull?.status === "downloading" ? 2000 : 15_000),
  });
  if (!data) return null;
  const tone =
    data.status === "ok"
      ? "bg-emerald-100 text-emerald-900"
      : data.status === "degraded"
        ? "bg-amber-100 text-amber-900"
        : "bg-red-100 text-red-900";
  const label = backendStatusLabel(data);
  return (
    <div data-testid="backend-status" className={`rounded-md px-3 py-2 text-xs ${tone}`} role="status">
      <span className="font-medium">{label}</span>
      {data.status !== "ok" && data.backend.detail ? <span className="block">{data.backend.detail}</span> : null}
      {data.pull ? <PullProgress pull={data.pull} /> : null}
      {data.fix ? <span className="block">{data.fix}</span> : null}
    </div>
  );
}
