import { useCallback, useSyncExternalStore } from "react";
import { z } from "zod";
import { AnswerSchema, DoneEventSchema } from "@/lib/schemas/ask";

/**
 * The last questions asked in this browser, kept in localStorage only: nothing here is ever sent to the server.
 * Entries are validated when read, so a stored entry from an older page version, or one edited by hand, is dropped
 * rather than breaking the page.
 */
export const HISTORY_KEY = "medgpt.history.v1";
export const HISTORY_MAX = 20;

const QuestionSchema = z.object({
  case: z.string(),
  options: z.object({
    A: z.string(),
    B: z.string(),
    C: z.string().optional(),
    D: z.string().optional(),
    E: z.string().optional(),
  }),
  model: z.string(),
});

export const HistoryEntrySchema = z.object({
  id: z.string(),
  askedAt: z.number(),
  question: QuestionSchema,
  modelLabel: z.string().nullable(),
  answer: AnswerSchema,
  done: DoneEventSchema.nullable(),
  /** The model's reply as it streamed, for "show the raw reply" when it named no option. */
  raw: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const EMPTY: HistoryEntry[] = [];
let cache: { raw: string | null; entries: HistoryEntry[] } = { raw: null, entries: EMPTY };
const listeners = new Set<() => void>();

function parse(raw: string | null): HistoryEntry[] {
  if (!raw) return EMPTY;
  try {
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) return EMPTY;
    return list.flatMap((item) => {
      const parsed = HistoryEntrySchema.safeParse(item);
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
