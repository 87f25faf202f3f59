import { createHash } from "node:crypto";
import { every, runNow, type Steps } from "@/lib/async/steps";

/**
 * sha256 (hex) of a dataset file's content, normalised so that the same file saved on another system is
 * recognised when imported again: a BOM, CRLF/CR line endings, trailing whitespace on each line, and leading or
 * trailing blank lines do not change the hash. Nothing inside a line's content is touched.
 */
export function contentHash(text: string): string {
  return runNow(contentHashSteps(text));
}

/** contentHash as steps: the same normalisation, hashed line by line, yielding now and then. */
export function* contentHashSteps(text: string): Steps<string> {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n?|\n/);
  const kept = (line: string) => line.replace(/[ \t\f\v]+$/, "");
  let first = 0;
  while (first < lines.length && kept(lines[first]!) === "") first++;
  let last = lines.length - 1;
  while (last >= first && kept(lines[last]!) === "") last--;
  const hash = createHash("sha256");
  const pause = every(2048);
  for (let i = first; i <= last; i++) {
    hash.update(i === first ? kept(lines[i]!) : `\n${kept(lines[i]!)}`, "utf8");
    if (pause()) yield;
  }
  return hash.digest("hex");
}
