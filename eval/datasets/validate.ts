/**
 * Row validation shared by every dataset format. Each format's reader turns a row into case text, options and a
 * reference letter through these checks, so every format rejects the same mistakes with the same wording.
 */
import type { DatasetItem } from "@/eval/types";
import { LETTERS, OptionsSchema, offeredLetters, type Letter, type Options } from "@/lib/schemas/options";

/** Longest case text accepted; longer text is almost certainly a broken row (e.g. an unclosed CSV quote). */
export const MAX_CASE_CHARS = 20_000;

/** An item as a format reader produces it; the importer adds where it came from. */
export type ItemFields = Omit<DatasetItem, "sourceLine">;

/** Thrown by the row readers: one row is unusable, for this reason. The importer records it and goes on. */
export class RowRejection extends Error {
  override name = "RowRejection";
}

export function reject(reason: string): never {
  throw new RowRejection(reason);
}

const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);

/** A required string field of a JSON row. */
export function stringField(row: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(row, key) || row[key] === undefined) reject(`missing field "${key}"`);
  const value = row[key];
  if (typeof value !== "string") reject(`field "${key}" must be a string, got ${typeName(value)}`);
  return value;
}

/** Case text: non-blank and at most MAX_CASE_CHARS. Returned unchanged. */
export function checkCaseText(text: string, what: string): string {
  if (text.trim() === "") reject(`${what} is empty`);
  if (text.length > MAX_CASE_CHARS)
    reject(`${what} is ${text.length} characters long; at most ${MAX_CASE_CHARS} are allowed`);
  return text;
}

/**
 * Options given as letter → text (undefined = not offered). Validated with the app's OptionsSchema (2–5 options,
 * consecutive from A, non-empty, length limits), but the text is returned exactly as given: the schema trims, and
 * trimming would break byte-exact round trips of the medical-reasoning `input` the model was trained on.
 */
export function checkOptions(raw: Record<string, unknown>): Options {
  const unknownKeys = Object.keys(raw).filter((k) => !(LETTERS as readonly string[]).includes(k));
  if (unknownKeys.length > 0) {
    reject(
      `unexpected option key${unknownKeys.length > 1 ? "s" : ""} ${unknownKeys.map((k) => JSON.stringify(k)).join(", ")}; options are keyed by the letters ${LETTERS.join(", ")}`,
    );
  }
  const given = LETTERS.filter((l) => raw[l] !== undefined);
  if (given.length < 2)
    reject(`needs at least 2 options (A and B), got ${given.length}${given.length ? ` (${given.join(", ")})` : ""}`);

  const parsed = OptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      // The schema's own consecutive-letters message already names the option.
      issue.code === "custom" || issue.path.length === 0
        ? issue.message
        : `option ${String(issue.path[0])} ${issue.message}`,
    );
    reject([...new Set(problems)].join("; "));
  }
  const options: Partial<Record<Letter, string>> = {};
  for (const letter of given) options[letter] = raw[letter] as string;
  return options as Options;
}

/** A reference letter that must name one of the offered options. Accepts lower case and surrounding spaces. */
export function checkLetter(raw: string, options: Options, what: string): Letter {
  const letter = raw.trim().toUpperCase();
  const offered = offeredLetters(options);
  if (!(LETTERS as readonly string[]).includes(letter)) {
    reject(`${what} ${JSON.stringify(raw)} is not an option letter (${offered.join(", ")})`);
  }
  if (!offered.includes(letter as Letter)) {
    reject(`${what} ${letter} is not among the options (${offered.join(", ")})`);
  }
  return letter as Letter;
}

/**
 * The file is not a dataset the importer can read (empty, a JSON array, an unrecognised or ambiguous header, …).
 * The API maps this and DatasetImportError, and only these, to 422 invalid_dataset: any other error is a bug.
 */
export class DatasetFormatError extends Error {
  override name = "DatasetFormatError";
}
