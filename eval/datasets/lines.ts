/**
 * A streaming line reader: text arrives in chunks of any size and comes out as whole lines, split on CRLF, LF or a
 * lone CR (so an old Mac export reads as lines too). node:readline splits the same way but only asynchronously;
 * this one also serves the CLI and tests, which import a whole file at once. Each chunk is scanned once, so a very
 * long line costs no more than a short one.
 */
export class LineSplitter {
  /** The unfinished line, in the pieces it arrived in. */
  private parts: string[] = [];
  /** The last chunk ended in CR: an LF starting the next one belongs to the same line break. */
  private afterCR = false;

  /** The lines completed by this chunk. */
  push(chunk: string): string[] {
    if (this.afterCR && chunk[0] === "\n") {
      chunk = chunk.slice(1);
      this.afterCR = false;
    }
    if (chunk === "") return [];
    this.afterCR = chunk.endsWith("\r");
    const lines = chunk.split(/\r\n|\r|\n/);
    const rest = lines.pop()!;
    if (lines.length === 0) {
      this.parts.push(rest);
      return [];
    }
    if (this.parts.length > 0) lines[0] = this.parts.join("") + lines[0]!;
    this.parts = rest === "" ? [] : [rest];
    return lines;
  }

  /** The last line (empty when the text ended with a line break, as String.split would give it). */
  end(): string[] {
    const last = this.parts.join("");
    this.parts = [];
    this.afterCR = false;
    return [last];
  }
}
