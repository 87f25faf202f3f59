import { ERROR_CODES } from "@/lib/error-codes";
import type { ErrorBody } from "./ask";

/**
 * The browser's readers of MedGPT's own answers: client-safe, without zod, so the clinician page does not load it.
 * This file has the building blocks and the error body every page reads; read-ask.ts has the clinician page's
 * (the ask stream's events, /api/health, /api/models), apart so the dashboard does not carry them. The zod schemas in this folder remain the one
 * definition of the wire types: each reader is typed by the type inferred from its schema, so a field the schema
 * gains, loses or retypes breaks the typecheck here, and read.test.ts checks that reader and schema judge the same
 * values alike. Readers check the shape the page relies on; they do not strip unknown keys (zod does).
 *
 * A reader has zod's `parse` / `safeParse`, so code written against a zod schema (lib/ask/client.ts,
 * components/api-client.ts) takes one unchanged.
 */

type Path = (string | number)[];
export type ReadIssue = { path: Path; message: string };

/** A check of one value: the first problem found, or null. `_type` only carries the type it proves. */
export type Shape<T> = { check(value: unknown, path: Path): ReadIssue | null; readonly _type?: T };

const shape = <T>(check: (value: unknown, path: Path) => ReadIssue | null): Shape<T> => ({ check });
const issue = (path: Path, message: string): ReadIssue => ({ path, message });

export const string: Shape<string> = shape((v, p) => (typeof v === "string" ? null : issue(p, "expected a string")));
export const boolean: Shape<boolean> = shape((v, p) =>
  typeof v === "boolean" ? null : issue(p, "expected a boolean"),
);
export const number: Shape<number> = shape((v, p) =>
  typeof v === "number" && Number.isFinite(v) ? null : issue(p, "expected a number"),
);
export const integer: Shape<number> = shape((v, p) =>
  Number.isSafeInteger(v) ? null : issue(p, "expected an integer"),
);
/** A number in [min, max]. */
export const between = (min: number, max: number): Shape<number> =>
  shape((v, p) =>
    typeof v === "number" && v >= min && v <= max ? null : issue(p, `expected a number from ${min} to ${max}`),
  );
export const oneOf = <const T extends string>(values: readonly T[]): Shape<T> =>
  shape((v, p) =>
    (values as readonly unknown[]).includes(v) ? null : issue(p, `expected one of ${values.join(", ")}`),
  );
export const nullable = <T>(s: Shape<T>): Shape<T | null> => shape((v, p) => (v === null ? null : s.check(v, p)));
export const optional = <T>(s: Shape<T>): Shape<T | undefined> =>
  shape((v, p) => (v === undefined ? null : s.check(v, p)));
export const either = <A, B>(a: Shape<A>, b: Shape<B>): Shape<A | B> =>
  shape((v, p) => (a.check(v, p) === null ? null : b.check(v, p)));
export const array = <T>(item: Shape<T>): Shape<T[]> =>
  shape((v, p) => {
    if (!Array.isArray(v)) return issue(p, "expected an array");
    for (let i = 0; i < v.length; i++) {
      const found = item.check(v[i], [...p, i]);
      if (found) return found;
    }
    return null;
  });

export const literal = <const T extends string | number | boolean>(value: T): Shape<T> =>
  shape((v, p) => (v === value ? null : issue(p, `expected ${String(value)}`)));
/** A fixed-length array, each place its own shape (zod's `tuple`). */
export const tuple = <A, B>(a: Shape<A>, b: Shape<B>): Shape<[A, B]> =>
  shape((v, p) => {
    if (!Array.isArray(v) || v.length !== 2) return issue(p, "expected a pair");
    return a.check(v[0], [...p, 0]) ?? b.check(v[1], [...p, 1]);
  });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

type Fields = Record<string, Shape<unknown>>;
type ShapeOf<F extends Fields> = { [K in keyof F]: F[K] extends Shape<infer T> ? T : never };
export const object = <F extends Fields>(fields: F): Shape<ShapeOf<F>> =>
  shape((v, p) => {
    if (!isRecord(v)) return issue(p, "expected an object");
    for (const [key, field] of Object.entries(fields)) {
      const found = field.check(v[key], [...p, key]);
      if (found) return found;
    }
    return null;
  });
/** An object whose keys are some of `keys`, each value a `value`. */
export const partialRecord = <K extends string, T>(keys: readonly K[], value: Shape<T>): Shape<Partial<Record<K, T>>> =>
  shape((v, p) => {
    if (!isRecord(v)) return issue(p, "expected an object");
    for (const [key, item] of Object.entries(v)) {
      if (!(keys as readonly string[]).includes(key)) return issue([...p, key], "unexpected key");
      const found = value.check(item, [...p, key]);
      if (found) return found;
    }
    return null;
  });

/** An object of any keys, each value a `value` (zod's `record(z.string(), value)`). */
export const record = <T>(value: Shape<T>): Shape<Record<string, T>> =>
  shape((v, p) => {
    if (!isRecord(v)) return issue(p, "expected an object");
    for (const [key, item] of Object.entries(v)) {
      const found = value.check(item, [...p, key]);
      if (found) return found;
    }
    return null;
  });
/** Any value at all (zod's `unknown`). */
export const unknown: Shape<unknown> = shape(() => null);

export type SafeRead<T> = { success: true; data: T } | { success: false; error: { issues: ReadIssue[] } };
/** What a reader and a zod schema have in common: what the browser's API clients take. */
export type Parser<T> = {
  parse(value: unknown): T;
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
};
export type Reader<T> = Parser<T> & { safeParse(value: unknown): SafeRead<T> };

export class ReadError extends Error {
  override name = "ReadError";
  constructor(
    what: string,
    readonly issues: ReadIssue[],
  ) {
    const first = issues[0];
    super(
      `${what} does not have the expected shape${first ? ` at ${first.path.join(".") || "top level"}: ${first.message}` : ""}`,
    );
  }
}

export function reader<T>(what: string, s: Shape<T>): Reader<T> {
  const safeParse = (value: unknown): SafeRead<T> => {
    const found = s.check(value, []);
    return found ? { success: false, error: { issues: [found] } } : { success: true, data: value as T };
  };
  return {
    safeParse,
    parse(value) {
      const result = safeParse(value);
      if (!result.success) throw new ReadError(what, result.error.issues);
      return result.data;
    },
  };
}

// ---- The error body (ask.ts's ErrorBodySchema), read by every page's API client (lib/api-error.ts) ----

export const errorBodyShape: Shape<ErrorBody> = object({
  code: oneOf(ERROR_CODES),
  message: string,
  fix: optional(string),
  issues: optional(array(object({ path: array(either(string, number)), message: string }))),
});

export const ErrorEnvelopeReader = reader("The error answer", object({ error: errorBodyShape }));
