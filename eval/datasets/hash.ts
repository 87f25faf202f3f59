import { createHash } from "node:crypto";

/**
 * sha256 (hex) of a dataset file's content, normalised so that the same file saved on another system is
 * recognised when imported again: a BOM, CRLF/CR line endings, trailing whitespace on each line, and leading or
 * trailing blank lines do not change the hash. Nothing inside a line's content is touched.
 */
export function contentHash(text: string): string {
  const normalized = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t\f\v]+$/, ""))
    .join("\n")
    .replace(/^\n+/, "")
    .replace(/\n+$/, "");
  return createHash("sha256").update(normalized, "utf8").digest("hex");
}
