"use client";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select, TextInput } from "@/components/ui/inputs";
import { plural } from "./format";

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** The start of a question's case, as the results and compare tables show it. */
export function CaseExcerptCell({ text }: { text: string }) {
  return (
    <td className="min-w-64 px-3 py-2 text-slate-700" data-testid="case-excerpt">
      {text}
    </td>
  );
}

/** The free-text search box above the results and compare tables. */
export function TableSearchField({
  id,
  label,
  className,
  value,
  onChange,
}: {
  id: string;
  label: string;
  className: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} className={className}>
      {(control) => (
        <TextInput
          {...control}
          type="search"
          value={value}
          maxLength={200}
          onChange={(e) => onChange(e.target.value)}
          placeholder="e.g. thyroid"
        />
      )}
    </Field>
  );
}

/** "Rows per page" for the results and compare tables. */
export function PageSizeField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: number;
  onChange: (pageSize: number) => void;
}) {
  return (
    <Field id={id} label="Rows per page">
      {(control) => (
        <Select {...control} value={value} onChange={(e) => onChange(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

/** "12 questions · page 2 of 3" and First / Previous / Next / Last, for the results and compare tables. */
export function Pager({
  label,
  page,
  pageSize,
  totalRows,
  onPage,
  testId,
}: {
  /** names the navigation landmark: "Pages of questions" */
  label: string;
  page: number;
  pageSize: number;
  /** undefined while the first page loads */
  totalRows: number | undefined;
  onPage: (page: number) => void;
  testId: string;
}) {
  const pages = totalRows === undefined ? 1 : Math.max(1, Math.ceil(totalRows / pageSize));
  return (
    <nav className="flex flex-wrap items-center justify-between gap-3 text-sm" aria-label={label}>
      <p className="text-slate-600" data-testid={testId} aria-live="polite">
        {totalRows === undefined ? "" : `${plural(totalRows, "question")} · page ${page} of ${pages}`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" disabled={page <= 1} onClick={() => onPage(1)}>
          First
        </Button>
        <Button size="sm" disabled={page <= 1} onClick={() => onPage(Math.max(1, page - 1))}>
          Previous
        </Button>
        <Button size="sm" disabled={totalRows === undefined || page >= pages} onClick={() => onPage(page + 1)}>
          Next
        </Button>
        <Button size="sm" disabled={totalRows === undefined || page >= pages} onClick={() => onPage(pages)}>
          Last
        </Button>
      </div>
    </nav>
  );
}
