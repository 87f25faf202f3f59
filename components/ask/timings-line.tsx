import type { Timings } from "@/lib/schemas/ask";

export function TimingsLine({ model, backend, timings }: { model: string; backend: string; timings: Timings }) {
  const parts = [
    `${model} on ${backend}`,
    timings.firstTokenMs !== null ? `first token ${timings.firstTokenMs} ms` : null,
    `total ${(timings.totalMs / 1000).toFixed(1)} s`,
    timings.evalCount !== null ? `${timings.evalCount} tokens` : null,
    timings.tokensPerSecond !== null ? `${timings.tokensPerSecond} tok/s` : null,
  ].filter(Boolean);
  return (
    <p data-testid="timings" className="text-xs text-slate-500">
      {parts.join(" · ")}
    </p>
  );
}
