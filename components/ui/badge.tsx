import type { ComponentProps } from "react";
import { cx } from "./class-names";

export type BadgeTone = "neutral" | "muted" | "brand" | "success" | "warning" | "attention" | "danger";

// soft: a pale pill with a ring, for states; solid: a filled tag, for marking one thing among several.
const SOFT: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-800 ring-slate-300",
  muted: "bg-slate-100 text-slate-600 ring-slate-300",
  brand: "bg-brand-50 text-brand-700 ring-brand-600/30",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  attention: "bg-orange-50 text-orange-900 ring-orange-300",
  danger: "bg-red-50 text-red-800 ring-red-300",
};

const SOLID: Record<BadgeTone, string> = {
  neutral: "bg-slate-600",
  muted: "bg-slate-500",
  brand: "bg-brand-600",
  success: "bg-emerald-600",
  warning: "bg-amber-600",
  attention: "bg-orange-600",
  danger: "bg-red-600",
};

export function Badge({
  tone = "neutral",
  solid = false,
  className,
  ...props
}: ComponentProps<"span"> & { tone?: BadgeTone; solid?: boolean }) {
  return (
    <span
      {...props}
      className={cx(
        solid
          ? `rounded px-2 py-0.5 text-xs font-semibold text-white ${SOLID[tone]}`
          : `inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${SOFT[tone]}`,
        className,
      )}
    />
  );
}
