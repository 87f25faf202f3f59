import type { ComponentProps } from "react";
import { cx } from "./class-names";

// One look for every form control: the same border, focus ring and disabled state on both pages.
const frame =
  "rounded-md border border-slate-300 bg-white text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 disabled:bg-slate-100 disabled:text-slate-400";

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
