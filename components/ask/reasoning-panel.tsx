import type { AskPhase } from "./use-ask-stream";

const PHASE_LABEL: Record<AskPhase, string> = {
  idle: "",
  waiting: "Waiting for the model…",
  streaming: "Reasoning…",
  done: "Finished",
  stopped: "Stopped",
  error: "Failed",
};

export function ReasoningPanel({ text, phase }: { text: string; phase: AskPhase }) {
  return (
    <section aria-labelledby="reasoning-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between">
        <h2 id="reasoning-heading" className="font-semibold">
          Model reasoning
        </h2>
        <span className="text-xs text-slate-500" data-testid="phase">
          {PHASE_LABEL[phase]}
        </span>
      </div>
      <div
        data-testid="reasoning"
        aria-live="polite"
        aria-busy={phase === "streaming" || phase === "waiting"}
        className="mt-2 max-h-[28rem] min-h-24 overflow-y-auto whitespace-pre-wrap break-words font-mono text-sm leading-relaxed text-slate-800"
      >
        {text || (phase === "idle" ? <span className="text-slate-400">The reasoning will stream here.</span> : null)}
      </div>
    </section>
  );
}
