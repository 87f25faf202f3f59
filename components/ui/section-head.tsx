import type { ReactNode } from "react";
import { cx } from "./class-names";

/**
 * A section's h2 (its id for the section's aria-labelledby) and the grey line under it that says what the section
 * holds, in a <div> of their own.
 */
export function SectionHead({
  id,
  title,
  size,
  introClassName,
  children,
}: {
  id: string;
  title: ReactNode;
  size: "text-lg" | "text-xl";
  introClassName?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <h2 id={id} className={`${size} font-semibold`}>
        {title}
      </h2>
      <p className={cx(introClassName, "text-sm text-slate-600")}>{children}</p>
    </div>
  );
}
