/**
 * CSV records through csv-parse, read as text arrives: comma-separated, fields optionally in double quotes, `""`
 * inside quotes is one `"`, quoted fields may hold commas and line breaks, records end in CRLF, LF or a lone CR,
 * and a leading UTF-8 BOM is ignored.
 *
 * It never throws and never guesses silently: a record that breaks the grammar in a way that makes its fields
 * unreliable carries an `error`, so the importer can reject that one row with a reason and keep the rest.
 */
import { parse, type CsvError, type Info, type Options, type Parser } from "csv-parse";
import { parse as parseWhole } from "csv-parse/sync";

export type CsvRecord = {
  /** 1-based physical line of the text on which the record starts (records can span lines). */
  line: number;
  fields: string[];
  /** Why the record's fields cannot be trusted, or null when it parsed cleanly. */
  error: string | null;
};

const OPTIONS: Options = {
  bom: true,
  record_delimiter: ["\r\n", "\n", "\r"],
  relax_column_count: true,
  // A '"' in the middle of an unquoted field is kept literally: RFC 4180 forbids it, but its meaning is plain and
  // spreadsheets accept it. (Text after a closing quote is let through too, then flagged below.)
  relax_quotes: true,
  skip_empty_lines: false,
  skip_records_with_error: true,
  raw: true,
};

const LINE_BREAKS = /\r\n|\r|\n/g;
const countLineBreaks = (raw: string) => raw.match(LINE_BREAKS)?.length ?? 0;

/**
 * A CSV reader fed text in chunks: `push` returns the records that chunk completed, `end` the rest. csv-parse works
 * synchronously inside write(), so records come out in step with the text that went in.
 */
export class CsvReader {
  private readonly parser: Parser;
  private out: CsvRecord[] = [];
  /** Physical line on which the next record starts. csv-parse's own count treats a CRLF inside quotes as two. */
  private nextLine = 1;

  constructor() {
    this.parser = parse({
      ...OPTIONS,
      // With `raw`, csv-parse hands over {record, raw}; its types describe the record alone.
      on_record: (rec: unknown) => {
        const { record, raw } = rec as { record: string[]; raw: string };
        this.take(raw, record, null);
        return null; // collected here, in order with the skipped ones; nothing is queued on the stream
      },
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        this.take(raw ?? "", [], unterminated(err));
        return undefined;
      },
    });
  }

  push(chunk: string): CsvRecord[] {
    this.parser.write(chunk);
    return this.drain();
  }

  end(): CsvRecord[] {
    this.parser.end();
    return this.drain();
  }

  private drain(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private take(raw: string, fields: string[], error: string | null) {
    const line = this.nextLine;
    this.nextLine += countLineBreaks(raw);
    if (error !== null) error = error.replace("{line}", String(line));
    else error = textAfterClosingQuote(raw, fields, line);
    // A line break inside a cell becomes "\n" whatever the file's line endings: a CRLF file must not put "\r" into
    // case text that is later sent to a model.
    this.out.push({ line, fields: fields.map((f) => (f.includes("\r\n") ? f.replaceAll("\r\n", "\n") : f)), error });
  }
}

function unterminated(err: CsvError | undefined): string {
  return err?.code === "CSV_QUOTE_NOT_CLOSED"
    ? `unterminated quoted field starting on line {line}: a missing closing '"' swallows the rest of the file`
    : `unreadable record (${err?.message ?? "unknown CSV error"})`;
}

/**
 * relax_quotes reads `"ab"c` as the text `"ab"c`; its meaning is unclear, so the record is flagged. The strict
 * reading of that one record tells a broken quote from a field that merely starts with an escaped `""`.
 */
function textAfterClosingQuote(raw: string, fields: string[], line: number): string | null {
  if (!fields.some((f) => f.startsWith('"'))) return null;
  try {
    parseWhole(raw, { ...OPTIONS, relax_quotes: false, skip_records_with_error: false, raw: false, bom: false });
    return null;
  } catch (err) {
    if ((err as CsvError).code !== "CSV_INVALID_CLOSING_QUOTE") return null;
    const at = line + ((err as CsvError & Partial<Info>).lines ?? 1) - 1;
    return `unexpected text after a closing quote on line ${at}; a '"' inside a quoted field must be written as ""`;
  }
}

/** All records of a whole text. */
export function parseCsv(text: string): CsvRecord[] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}
