import type { JudgeVerdict } from "@/eval/types";

/**
 * Reads a judge's reply. The earlier version wrote 2.5 for an unreadable verdict, which then averaged in as a real
 * score; here anything that does not state one clear integer 0–5 is an error, and the caller keeps it unparseable.
 */

export const MIN_SCORE = 0;
export const MAX_SCORE = 5;

export type ParsedVerdict = { score: number; explanation: string };
export type VerdictParse = ParsedVerdict | { error: string };

/** Removes reasoning that some models (qwen3, deepseek-r1 via Ollama) put before their answer. */
export function stripThinking(text: string): string {
  let out = text.replace(/<think(?:ing)?>[\s\S]*?<\/think(?:ing)?>/gi, "");
  // An opening tag never closed: the rest is unfinished reasoning, not an answer.
  out = out.replace(/<think(?:ing)?>[\s\S]*$/i, "");
  // Some templates put the opening tag in the prompt, so the reply holds only the closing one.
  const close = /<\/think(?:ing)?>/i.exec(out);
  if (close) out = out.slice(close.index + close[0].length);
  return out;
}

/** Every balanced top-level {...} in text, in order; braces inside JSON strings do not count. */
function balancedObjects(text: string): string[] {
  const found: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === "{") {
      if (depth === 0) start = i;
      depth += 1;
    } else if (ch === "}" && depth > 0) {
      depth -= 1;
      if (depth === 0) found.push(text.slice(start, i + 1));
    }
  }
  return found;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The value of `key`, matched case-insensitively ("Score" from chatty models). */
function field(obj: Record<string, unknown>, key: string): { present: boolean; value: unknown } {
  if (key in obj) return { present: true, value: obj[key] };
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key);
  return k === undefined ? { present: false, value: undefined } : { present: true, value: obj[k] };
}

function readScore(value: unknown): number | { error: string } {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^\s*[+-]?\d+(?:\.\d+)?\s*$/.test(value)) n = Number(value);
  else return { error: `score is not a number: ${JSON.stringify(value)}` };
  if (!Number.isInteger(n)) return { error: `score ${n} is not an integer` };
  if (n < MIN_SCORE || n > MAX_SCORE) return { error: `score ${n} is outside ${MIN_SCORE}–${MAX_SCORE}` };
  return n;
}

function readExplanation(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value.trim() : JSON.stringify(value);
}

function fromObject(obj: Record<string, unknown>): VerdictParse {
  const score = readScore(field(obj, "score").value);
  if (typeof score !== "number") return score;
  return { score, explanation: readExplanation(field(obj, "explanation").value) };
}

/**
 * Candidate JSON texts, most deliberate first: the whole reply, then fenced blocks, then objects found in prose.
 * Later sources are only tried when earlier ones yield no object with a score.
 */
function candidateSources(text: string): string[][] {
  const fenced = [...text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trim());
  return [[text.trim()], fenced, balancedObjects(text)];
}

export function parseVerdict(raw: string): VerdictParse {
  const text = stripThinking(raw).trim();
  if (text === "")
    return { error: raw.trim() === "" ? "empty judge reply" : "judge reply holds only reasoning, no verdict" };

  let objectWithoutScore = false;
  for (const source of candidateSources(text)) {
    const results: VerdictParse[] = [];
    for (const candidate of source) {
      const value = tryJson(candidate);
      if (!isRecord(value)) continue;
      if (!field(value, "score").present) {
        objectWithoutScore = true;
        continue;
      }
      results.push(fromObject(value));
    }
    if (results.length === 0) continue;
    // The most deliberate source that states a score decides; a bad score there is not rescued by a later source.
    const bad = results.find((r) => "error" in r);
    if (bad) return bad;
    const verdicts = results as ParsedVerdict[];
    const first = verdicts[0]!;
    // Two verdicts that disagree ("{score: 3} ... on reflection {score: 4}"): choosing one would be a guess.
    if (verdicts.some((v) => v.score !== first.score)) {
      return { error: `the reply holds conflicting scores (${verdicts.map((v) => v.score).join(", ")})` };
    }
    return first;
  }
  return { error: objectWithoutScore ? "the JSON object has no score" : "no JSON object found in the judge reply" };
}

/**
 * The one path from a judge's reply text to a verdict, shared by every provider so that they cannot differ in
 * what counts as readable. `note` adds provider context to an unparseable verdict (e.g. "cut off at max tokens").
 */
export function toJudgeVerdict(raw: string, attempts: number, note?: string): JudgeVerdict {
  const parsed = parseVerdict(raw);
  if ("error" in parsed)
    return { status: "unparseable", raw, attempts, error: note ? `${parsed.error} (${note})` : parsed.error };
  return { status: "scored", score: parsed.score, explanation: parsed.explanation, raw, attempts };
}
