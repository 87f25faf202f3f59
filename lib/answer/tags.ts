/**
 * Finds the <analysis> and <answer> blocks of a reply, tolerating truncation and repeated tags. The only reader of
 * these tags: the medical-reasoning importer reads its reference outputs with it too, so the training data and the
 * replies graded against it can never be split into blocks differently.
 */

export type Block = {
  /** Text between the opening tag and the next tag of either kind (or the end of the reply). */
  content: string;
  /** Whether the block ends with its own closing tag; false when the reply was cut off. */
  closed: boolean;
  /** Span of the whole block, tags included, in the scanned text. */
  start: number;
  end: number;
};

export type Blocks = { analysis: Block[]; answer: Block[] };

const TAG = /<\s*(?:(\/)\s*)?(analysis|answer)\s*>/gi;

export function findBlocks(text: string): Blocks {
  const tags = [...text.matchAll(TAG)].map((m) => ({
    closing: m[1] === "/",
    name: m[2]!.toLowerCase() as keyof Blocks,
    start: m.index,
    end: m.index + m[0].length,
  }));
  const blocks: Blocks = { analysis: [], answer: [] };
  tags.forEach((tag, i) => {
    if (tag.closing) return;
    // A block stops at the next tag of any kind: a reply that repeats "<analysis>\n<answer>\n"
    // has many empty blocks, not one block swallowing the rest.
    const next = tags[i + 1];
    const closed = next !== undefined && next.closing && next.name === tag.name;
    blocks[tag.name].push({
      content: text.slice(tag.end, next ? next.start : text.length),
      closed,
      start: tag.start,
      end: closed ? next.end : next ? next.start : text.length,
    });
  });
  return blocks;
}

/** The text with the given blocks cut out, keeping the text on either side on separate lines. */
export function withoutBlocks(text: string, blocks: Block[]): string {
  let out = "";
  let pos = 0;
  for (const block of [...blocks].sort((a, b) => a.start - b.start)) {
    out += text.slice(pos, block.start);
    pos = block.end;
    if (out !== "" && !out.endsWith("\n") && text[pos] !== "\n") out += "\n";
  }
  return out + text.slice(pos);
}

/** The earlier prompt stopped before `model`, so recorded replies start with that word. */
export function stripLeadingModel(reply: string): string {
  return reply.replace(/^\s*model(?=\s|<|$)/, "");
}
