/**
 * A small RFC 4180 CSV reader (no dependency): comma-separated, fields optionally in double quotes, `""` inside
 * quotes is one `"`, quoted fields may hold commas and line breaks, records end in CRLF, LF or a lone CR, and a
 * leading UTF-8 BOM is ignored.
 *
 * It never throws and never guesses silently: a record that breaks the grammar in a way that makes its fields
 * unreliable carries an `error`, so the importer can reject that one row with a reason and keep the rest.
 */

export type CsvRecord = {
  /** 1-based physical line of the text on which the record starts (records can span lines). */
  line: number;
  fields: string[];
  /** Why the record's fields cannot be trusted, or null when it parsed cleanly. */
  error: string | null;
};

import { every, runNow, type Steps } from "@/lib/async/steps";

const isLineBreak = (ch: string | undefined) => ch === "\n" || ch === "\r";

export function parseCsv(text: string): CsvRecord[] {
  return runNow(parseCsvSteps(text));
}

/** parseCsv as steps: yields between records now and then (see steps.ts). */
export function* parseCsvSteps(text: string): Steps<CsvRecord[]> {
  const pause = every(512);
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | null = null;

    for (;;) {
      let field = "";
      if (text[i] === '"') {
        const quoteLine = line;
        let closed = false;
        i += 1;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (ch === "\r" && text[i + 1] === "\n") {
            // A line break inside a cell becomes "\n" whatever the file's line endings: a CRLF file must not
            // put "\r" into case text that is later sent to a model.
            field += "\n";
            i += 2;
            line += 1;
            continue;
          }
          if (ch === "\n") line += 1;
          field += ch;
          i += 1;
        }
        if (!closed) {
          error ??= `unterminated quoted field starting on line ${quoteLine}: a missing closing '"' swallows the rest of the file`;
        } else if (i < n && text[i] !== "," && !isLineBreak(text[i])) {
          error ??= `unexpected text after a closing quote on line ${line}; a '"' inside a quoted field must be written as ""`;
          // Keep reading to the next delimiter so the following fields stay aligned with their columns.
          while (i < n && text[i] !== "," && !isLineBreak(text[i])) field += text[i++];
        }
      } else {
        // A '"' in the middle of an unquoted field is kept literally (RFC 4180 forbids it, but its meaning is plain
        // and spreadsheets accept it).
        while (i < n && text[i] !== "," && !isLineBreak(text[i])) field += text[i++];
      }
      fields.push(field);
      if (text[i] === ",") {
        i += 1;
        continue;
      }
      break;
    }

    if (text[i] === "\r") i += 1;
    if (text[i] === "\n") i += 1;
    line += 1;
    records.push({ line: startLine, fields, error });
    if (pause()) yield;
  }
  return records;
}
