/**
 * The replies the Ollama and OpenAI-compatible stand-ins give: the real model replies recorded in
 * ../shared/data/recorded-responses-test93.jsonl when a prompt contains one of the 93 recorded inputs, else a
 * deterministic made-up one, and the word-sized chunks they stream them in.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { sharedPath } from "./shared-data";

export const DEFAULT_RECORDINGS_PATH = sharedPath("data", "recorded-responses-test93.jsonl");

export type RecordedCase = {
  index: number;
  inputSha256_16: string;
  /** the dataset row's `input`, recovered from the recorded prompt and checked against input_sha256_16 */
  input: string;
  /** raw recorded replies (begin with "model" for the fine-tune) */
  medgpt: string | null;
  base: string | null;
};

export type Recordings = { cases: RecordedCase[]; byHash: Map<string, RecordedCase> };

const recordingsCache = new Map<string, Recordings>();

export const sha256_16 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 16);

const INPUT_START = "here are the inputs ";
const INPUT_END = " <end_of_turn>";

/** Loads (and caches) recorded-responses-test93.jsonl. Throws on a missing file or malformed line. */
export function loadRecordings(file: string): Recordings {
  const cached = recordingsCache.get(file);
  if (cached) return cached;
  const byIndex = new Map<number, RecordedCase>();
  const lines = readFileSync(file, "utf8").split("\n");
  for (const [lineNo, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const rec = JSON.parse(line) as Record<string, unknown>;
    const { index, input_sha256_16: hash, model, prompt, response } = rec;
    if (
      typeof index !== "number" ||
      typeof hash !== "string" ||
      typeof model !== "string" ||
      typeof prompt !== "string" ||
      typeof response !== "string"
    ) {
      throw new Error(`${file}:${lineNo + 1}: unexpected record shape`);
    }
    const start = prompt.indexOf(INPUT_START);
    const end = prompt.lastIndexOf(INPUT_END);
    if (start < 0 || end < start) throw new Error(`${file}:${lineNo + 1}: cannot find the input in the prompt`);
    const input = prompt.slice(start + INPUT_START.length, end);
    if (sha256_16(input) !== hash) throw new Error(`${file}:${lineNo + 1}: input does not match input_sha256_16`);
    let c = byIndex.get(index);
    if (!c) {
      c = { index, inputSha256_16: hash, input, medgpt: null, base: null };
      byIndex.set(index, c);
    }
    if (model.toLowerCase().includes("medgpt")) c.medgpt = response;
    else if (model.startsWith("gemma-2-2b")) c.base = response;
  }
  const cases = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const result: Recordings = { cases, byHash: new Map(cases.map((c) => [c.inputSha256_16, c])) };
  recordingsCache.set(file, result);
  return result;
}

/** The recorded case whose input occurs verbatim in `text` (prompt or chat message), if any. */
export function findCase(recs: Recordings | null, text: string): RecordedCase | null {
  if (!recs) return null;
  const q = text.indexOf("Q:");
  const end = text.lastIndexOf("},");
  if (q >= 0 && end > q) {
    const hit = recs.byHash.get(sha256_16(text.slice(q, end + 2)));
    if (hit) return hit;
  }
  return recs.cases.find((c) => text.includes(c.input)) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Replies

/** Options of a Python-dict options literal {'A': '...', 'B': "...", ...} found in text. */
export function parseOptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /'([A-E])'\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const m of text.matchAll(re)) {
    const letter = m[1];
    const value = m[2] ?? m[3];
    if (letter && value !== undefined && !out.has(letter)) out.set(letter, value.trim());
  }
  return out;
}

/** Deterministic, well-formed reply for prompts that are not one of the 93 recorded cases. */
export function madeUpReply(text: string): string {
  const q = text.indexOf("Q:");
  let caseText = "";
  if (q >= 0) {
    const brace = text.indexOf("{", q);
    caseText = text.slice(q + 2, brace > q ? brace : undefined);
  } else {
    caseText = text;
  }
  caseText = caseText
    .replace(/<\/?(start_of_turn|end_of_turn)>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const summary = caseText.length > 160 ? `${caseText.slice(0, 160).replace(/\s+\S*$/, "")}…` : caseText;
  const optionB = parseOptions(text).get("B");
  const answer = optionB ? `B: ${optionB}` : "B";
  const about = summary ? `The case describes: ${summary}` : "No clinical case was given.";
  return (
    `<analysis>\n${about}\n` +
    `Weighing the key findings against each option, option B${optionB ? ` (${optionB})` : ""} best fits the presentation; ` +
    `the other options do not explain the findings as well.\n</analysis>\n<answer>\n${answer}\n</answer>`
  );
}

/** Token-like chunks: words with their trailing whitespace, or leading whitespace runs. */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

const isMedgpt = (model: string) => model.toLowerCase().includes("medgpt");

/**
 * The reply text for a request: the recorded reply (fine-tune for names containing "medgpt", base model otherwise)
 * when the text contains one of the 93 inputs, else a made-up one. The recorded replies begin with "model"
 * because the recorded prompt ended in "<start_of_turn>"; that word is kept only when this prompt also ends so.
 */
export function replyFor(recs: Recordings | null, model: string, text: string, keepLeadingModel: boolean): string {
  const c = findCase(recs, text);
  const recorded = c ? (isMedgpt(model) ? c.medgpt : c.base) : null;
  if (recorded === null) return madeUpReply(text);
  if (!keepLeadingModel && recorded.startsWith("model")) return recorded.slice("model".length);
  return recorded;
}

/**
 * The recordings a stand-in replays: `recordingsPath` as given (null: none), or when not given the default file if
 * ../shared has it, so a checkout without ../shared still gets (made-up) replies.
 */
export function recordingsFor(recordingsPath: string | null | undefined): Recordings | null {
  const file =
    recordingsPath === undefined
      ? existsSync(DEFAULT_RECORDINGS_PATH)
        ? DEFAULT_RECORDINGS_PATH
        : null
      : recordingsPath;
  return file ? loadRecordings(file) : null;
}
