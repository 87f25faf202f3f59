import { createHash, type Hash } from "node:crypto";
import { LineSplitter } from "./lines";

/**
 * sha256 (hex) of a dataset file's content, normalised so that the same file saved on another system is
 * recognised when imported again: a BOM, CRLF/CR line endings, trailing whitespace on each line, and leading or
 * trailing blank lines do not change the hash. Nothing inside a line's content is touched.
 */
export function contentHash(text: string): string {
  const hasher = new ContentHasher();
  hasher.push(text);
  return hasher.digest();
}

/** contentHash over text that arrives in chunks. */
export class ContentHasher {
  private readonly hash: Hash = createHash("sha256");
  private readonly lines = new LineSplitter();
  private started = false;
  private bomChecked = false;
  /** Blank lines seen since the last line with content: kept only if more content follows. */
  private pendingBlank = 0;

  push(chunk: string): void {
    if (!this.bomChecked && chunk.length > 0) {
      this.bomChecked = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    for (const line of this.lines.push(chunk)) this.line(line);
  }

  digest(): string {
    for (const line of this.lines.end()) this.line(line);
    return this.hash.digest("hex");
  }

  private line(raw: string): void {
    const kept = raw.replace(/[ \t\f\v]+$/, "");
    if (kept === "") {
      if (this.started) this.pendingBlank++;
      return;
    }
    this.hash.update((this.started ? "\n".repeat(this.pendingBlank + 1) : "") + kept, "utf8");
    this.started = true;
    this.pendingBlank = 0;
  }
}
