import { useCallback, useSyncExternalStore } from "react";
import type { Answer, AskRequestInput, DoneEventSchema } from "@/lib/schemas/ask";
import { nullable, number, object, optional, reader, string, type Shape } from "@/lib/schemas/read";
import { answerShape, doneEventShape } from "@/lib/schemas/read-ask";
import type { z } from "zod";

/**
 * The last questions asked in this browser, kept in localStorage only: nothing here is ever sent to the server.
 * Entries are validated when read, so a stored entry from an older page version, or one edited by hand, is dropped
 * rather than breaking the page. The check uses the zod-free readers (lib/schemas/read.ts): the clinician page loads
 * no zod.
 */
export const HISTORY_KEY = "medgpt.history.v1";
export const HISTORY_MAX = 20;

export type HistoryEntry = {
  id: string;
  askedAt: number;
  question: { case: string; options: AskRequestInput["options"]; model: string };
  modelLabel: string | null;
  answer: Answer;
  done: z.infer<typeof DoneEventSchema> | null;
  /** The model's reply as it streamed, for "show the raw reply" when it named no option. */
  raw: string;
};

const historyEntry: Shape<HistoryEntry> = object({
  id: string,
  askedAt: number,
  question: object({
    case: string,
    options: object({ A: string, B: string, C: optional(string), D: optional(string), E: optional(string) }),
    model: string,
  }),
  modelLabel: nullable(string),
  answer: answerShape,
  done: nullable(doneEventShape),
  raw: string,
});
export const HistoryEntryReader = reader("A stored question", historyEntry);

const EMPTY: HistoryEntry[] = [];
let cache: { raw: string | null; entries: HistoryEntry[] } = { raw: null, entries: EMPTY };
const listeners = new Set<() => void>();

function parse(raw: string | null): HistoryEntry[] {
  if (!raw) return EMPTY;
  try {
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) return EMPTY;
    return list.flatMap((item) => {
      const parsed = HistoryEntryReader.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  } catch {
    return EMPTY;
  }
}

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage disabled by the browser's privacy settings: the history simply stays empty
  }
}

function snapshot(): HistoryEntry[] {
  const raw = storage()?.getItem(HISTORY_KEY) ?? null;
  if (raw !== cache.raw) cache = { raw, entries: parse(raw) };
  return cache.entries;
}

function write(entries: HistoryEntry[]): void {
  const store = storage();
  if (!store) return;
  let kept = entries.slice(0, HISTORY_MAX);
  // A full storage quota drops the oldest entries rather than the newest.
  while (kept.length > 0) {
    try {
      store.setItem(HISTORY_KEY, JSON.stringify(kept));
      break;
    } catch {
      kept = kept.slice(0, -1);
    }
  }
  if (kept.length === 0) store.removeItem(HISTORY_KEY);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the same page changed it.
  const onStorage = (e: StorageEvent) => {
    if (e.key === HISTORY_KEY || e.key === null) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useHistory() {
  const entries = useSyncExternalStore(subscribe, snapshot, () => EMPTY);
  const add = useCallback((entry: HistoryEntry) => {
    write([entry, ...snapshot().filter((e) => e.id !== entry.id)]);
  }, []);
  const clear = useCallback(() => write([]), []);
  return { entries, add, clear };
}
