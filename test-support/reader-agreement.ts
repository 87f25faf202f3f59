import type { z } from "zod";
import type { Parser } from "@/lib/schemas/read";

/**
 * The browser's zod-free readers against the zod schemas they stand for: on valid answers and on every way of spoiling
 * one field of them, reader and schema must say the same. The types already make a reader cover every field; this
 * catches a reader stricter or looser than its schema (a nullable forgotten, a range not checked).
 */

/** Values that spoil a field of almost any type. */
const SPOILERS: unknown[] = [undefined, null, "x", "", 7, -1, 1.5, 2 ** 53, Number.NaN, true, [], {}, ["x"], { a: 1 }];

/** Every copy of `value` with one field (at any depth, the root included) replaced by a spoiler or removed. */
export function spoiled(value: unknown): { where: string; value: unknown }[] {
  const out: { where: string; value: unknown }[] = SPOILERS.map((s) => ({ where: `(root) = ${String(s)}`, value: s }));
  if (typeof value !== "object" || value === null) return out;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    for (const inner of spoiled(child)) {
      const copy: unknown = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
      if (inner.value === undefined && !Array.isArray(copy)) delete (copy as Record<string, unknown>)[key];
      else (copy as Record<string | number, unknown>)[key] = inner.value;
      out.push({ where: `${key}.${inner.where}`, value: copy });
    }
  }
  return out;
}

export type ReaderCase = { name: string; reader: Parser<unknown>; schema: z.ZodType; samples: unknown[] };

/**
 * Where reader and schema judge a spoiled sample differently ("where: schema accepts|rejects"), less the known
 * differences (keys "<case name> <where>"); and how many spoiled samples the schema rejected, so that a test can show
 * the spoiling did reach it.
 */
export function disagreements(c: ReaderCase, known: ReadonlySet<string> = new Set()) {
  const found: string[] = [];
  let rejected = 0;
  for (const sample of c.samples) {
    for (const { where, value } of spoiled(sample)) {
      const bySchema = c.schema.safeParse(value).success;
      if (!bySchema) rejected++;
      if (c.reader.safeParse(value).success !== bySchema && !known.has(`${c.name} ${where}`))
        found.push(`${where}: schema ${bySchema ? "accepts" : "rejects"}`);
    }
  }
  return { found, rejected };
}
