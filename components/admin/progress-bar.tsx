/** Generation progress (results recorded / items × models), as an accessible progressbar. */
export function ProgressBar({
  done,
  total,
  label,
  compact = false,
}: {
  done: number;
  total: number;
  label: string;
  compact?: boolean;
}) {
  const value = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className={compact ? "min-w-28" : "w-full"}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={`${value}% (${done} of ${total})`}
        data-testid="run-progress"
        className={`overflow-hidden rounded-full bg-slate-200 ${compact ? "h-1.5" : "h-2.5"}`}
      >
        <div
          className="h-full rounded-full bg-brand-600 transition-[width] duration-500"
          style={{ width: `${value}%` }}
        />
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {value}% · {done}/{total}
      </p>
    </div>
  );
}
