import { useQuery } from "@tanstack/react-query";
import { HealthResponseSchema } from "@/lib/schemas/service";

async function fetchHealth() {
  // 503 still carries a HealthResponse body describing what is down.
  const res = await fetch("/api/health", { cache: "no-store" });
  return HealthResponseSchema.parse(await res.json());
}

export function BackendStatus() {
  const { data } = useQuery({ queryKey: ["health"], queryFn: fetchHealth, refetchInterval: 15_000 });
  if (!data) return null;
  const tone =
    data.status === "ok" ? "bg-emerald-100 text-emerald-900" : data.status === "degraded" ? "bg-amber-100 text-amber-900" : "bg-red-100 text-red-900";
  const label =
    data.status === "ok"
      ? `Backend: ${data.backend.name}${data.backend.version ? ` ${data.backend.version}` : ""} · ready`
      : data.status === "degraded"
        ? `Backend: ${data.backend.name} · default model ${data.defaultModel.name} is missing`
        : `Backend: ${data.backend.name} · unreachable`;
  return (
    <div data-testid="backend-status" className={`rounded-md px-3 py-2 text-xs ${tone}`}>
      <span className="font-medium">{label}</span>
      {data.fix ? <span className="block">{data.fix}</span> : null}
    </div>
  );
}
