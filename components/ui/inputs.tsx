import type { ComponentProps } from "react";
import { cx } from "./class-names";

// One look for every form control: the same border, focus ring, invalid and disabled state on both pages. An
// invalid control (aria-invalid, set by Field) gets a red border that shows without relying on the message alone.
// The slate-500 border keeps a control's edge at 3:1 or more against white (WCAG 1.4.11).
const frame =
  "rounded-md border border-slate-500 bg-white text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 aria-invalid:border-red-600 aria-invalid:ring-1 aria-invalid:ring-red-600 disabled:bg-slate-100 disabled:text-slate-500";

/** `className` adds layout (width, flex); the look is fixed. */
export function TextInput({ className, ...props }: ComponentProps<"input">) {
  return <input {...props} className={cx(frame, "px-2 py-1.5", className)} />;
}

export function TextArea({ className, ...props }: ComponentProps<"textarea">) {
  return <textarea {...props} className={cx(frame, "p-2", className)} />;
}

export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select {...props} className={cx(frame, "px-2 py-1.5", className)} />;
}
