import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RunView } from "@/eval/api/schemas";

const TONES: Record<RunView["status"], BadgeTone> = {
  queued: "neutral",
  running: "brand",
  completed: "success",
  partial: "warning",
  cancelled: "muted",
  failed: "danger",
  interrupted: "attention",
};

export function StatusBadge({ status }: { status: RunView["status"] }) {
  return (
    <Badge data-testid="run-status" tone={TONES[status]}>
      {status === "running" ? (
        <span aria-hidden className="mr-1 inline-block h-1.5 w-1.5 animate-pulse rounded-full bg-brand-600" />
      ) : null}
      {status}
    </Badge>
  );
}
