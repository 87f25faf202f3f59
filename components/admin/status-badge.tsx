import type { RunView } from "@/eval/api/schemas";

const TONES: Record<RunView["status"], string> = {
  queued: "bg-slate-100 text-slate-800 ring-slate-300",
  running: "bg-brand-50 text-brand-700 ring-brand-600/30",
  completed: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  partial: "bg-amber-50 text-amber-900 ring-amber-300",
  cancelled: "bg-slate-100 text-slate-600 ring-slate-300",
  failed: "bg-red-50 text-red-800 ring-red-300",
  interrupted: "bg-orange-50 text-orange-900 ring-orange-300",
};

export function StatusBadge({ status }: { status: RunView["status"] }) {
  return (
    <span
      data-testid="run-status"
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[status]}`}
    >
      {status === "running" ? <span aria-hidden className="mr-1 inline-block h-1.5 w-1.5 animate-pulse rounded-full bg-brand-600" /> : null}
      {status}
    </span>
  );
}
