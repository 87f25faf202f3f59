import type { ReactNode } from "react";

export type Column = { label: ReactNode; className?: string };

/**
 * The dashboard's tables: bordered and scrolling sideways on narrow screens, with a caption for screen readers and
 * one header row of column headers. `children` are the body rows; `after` goes below the table, inside its border.
 */
export function DataTable({
  testId,
  caption,
  columns,
  minWidth,
  busy,
  after,
  children,
}: {
  testId: string;
  caption: ReactNode;
  columns: Column[];
  /** a Tailwind min-w-[…] class */
  minWidth?: string;
  busy?: boolean;
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    // relative: the containing block of what is positioned inside (visually hidden text is position:absolute), so
    // that it scrolls and clips with the table instead of widening the page on a narrow screen.
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table
        className={minWidth ? `w-full ${minWidth} text-left text-sm` : "w-full text-left text-sm"}
        data-testid={testId}
        aria-busy={busy}
      >
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.className ? `px-3 py-2 ${c.className}` : "px-3 py-2"}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
      {after}
    </div>
  );
}
