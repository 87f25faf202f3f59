import type { ReactNode } from "react";
import { cx } from "./class-names";

/**
 * The "Details for your administrator" disclosure that keeps technical details (codes, URLs, settings) out of the
 * reader's way. The dashboard and the clinician page style it each their own way: `className` goes on the
 * <details>, `summaryClassName` on its summary, and `children` is the body under the summary.
 */
export function AdminDisclosure({
  testId,
  className,
  summaryClassName,
  children,
}: {
  testId?: string;
  className: string;
  summaryClassName: string;
  children: ReactNode;
}) {
  return (
    <details className={className} data-testid={testId}>
      <summary
        className={cx(
          "cursor-pointer rounded",
          summaryClassName,
          "underline decoration-slate-400 underline-offset-2 hover:text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40",
        )}
      >
        Details for your administrator
      </summary>
      {children}
    </details>
  );
}
