/** Display helpers shared by the dashboard's components. Pure functions, safe on server and client. */

export const pct = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(digits)}%`;

/** "[41.2–58.8]%" for a [lo, hi] proportion interval. */
export const pctRange = (ci: [number, number] | null | undefined, digits = 1) =>
  ci ? `${(ci[0] * 100).toFixed(digits)}–${(ci[1] * 100).toFixed(digits)}%` : "—";

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

export const num = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? "—" : v.toFixed(digits);

/** A signed difference of proportions in percentage points. */
export function pp(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  const x = v * 100;
  return `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x).toFixed(1)} pp`;
}

export function pValue(p: number): string {
  if (p < 0.001) return "< 0.001";
  return p.toFixed(3);
}

const TO_THE_MINUTE: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
};
const TO_THE_SECOND: Intl.DateTimeFormatOptions = { ...TO_THE_MINUTE, second: "2-digit" };

/**
 * Local date and time in the reader's locale and time zone, to the minute or to the second; a string that is not a
 * date is returned as it is. Only call from client-rendered data (the server's zone differs).
 */
export function localDateTime(iso: string, precision: "minute" | "second"): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, precision === "second" ? TO_THE_SECOND : TO_THE_MINUTE);
}

/** Local date and time, minutes precision. Only call from client-rendered data (the server's zone differs). */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return localDateTime(iso, "minute");
}

export const runHref = (id: string) => `/admin/runs/${encodeURIComponent(id)}`;
export const itemHref = (runId: string, idx: number) => `${runHref(runId)}/items/${idx}`;

/** Colours for up to four models, used in charts and legends. */
export const MODEL_COLORS = ["#1d5fd1", "#d97706", "#059669", "#9333ea"] as const;
export const modelColor = (i: number) => MODEL_COLORS[i % MODEL_COLORS.length]!;

/** Route params may arrive percent-encoded; decode once, leaving malformed input as it is. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What a researcher calls a run: its name when it has one, else its id. */
export const runLabel = (run: { id: string; name: string | null }) => run.name?.trim() || run.id;

/** Questions are numbered from 1 on screen; the API's key (`itemIdx`) is 0-based. */
export const questionNumber = (itemIdx: number) => itemIdx + 1;

/** The compare page for two sides, as a link. */
export const compareHref = (s: { runA: string; modelA: string; runB: string; modelB: string }) =>
  `/admin/compare?${new URLSearchParams(s)}`;

/** A count with its noun, singular or plural: "1 warning", "3 warnings". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
