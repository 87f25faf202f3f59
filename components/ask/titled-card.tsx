import type { ReactNode } from "react";

const HEADER_CLASS = {
  center: "flex flex-wrap items-center justify-between gap-2",
  baseline: "flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1",
} as const;

/**
 * A white card named by its h2 (`titleId`), with `aside` across from the heading (aligned by `align`) and
 * `children` below.
 */
export function TitledCard({
  titleId,
  testId,
  title,
  aside,
  align,
  children,
}: {
  titleId: string;
  testId: string;
  title: string;
  aside: ReactNode;
  align: keyof typeof HEADER_CLASS;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={titleId}
      data-testid={testId}
      className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5"
    >
      <div className={HEADER_CLASS[align]}>
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
