import type { ComponentProps } from "react";
import { cx } from "./class-names";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "md" | "sm" | "xs";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-brand-600 font-semibold text-white hover:bg-brand-700",
  secondary: "border border-slate-300 bg-white font-semibold hover:bg-slate-100",
  danger: "border border-red-300 bg-white font-semibold text-red-700 hover:bg-red-50",
  ghost: "font-medium text-brand-700 hover:bg-brand-50",
};

const SIZES: Record<ButtonSize, string> = {
  md: "px-4 py-2 text-sm",
  sm: "px-3 py-1.5 text-sm",
  xs: "px-2 py-1 text-xs",
};

/**
 * A button with one focus ring and one disabled look for the whole app. `type` defaults to "button": a button that
 * submits must say so, so that no button inside a form submits it by accident.
 */
export function Button({
  variant = "secondary",
  size = "md",
  type = "button",
  className,
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return (
    <button
      {...props}
      type={type}
      className={cx(
        "rounded-md focus:outline-none focus:ring-2 focus:ring-brand-600/40 disabled:opacity-50",
        VARIANTS[variant],
        SIZES[size],
        className,
      )}
    />
  );
}
