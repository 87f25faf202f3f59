import { BAND_WORDS, confidenceBand, type ConfidenceThresholds } from "@/lib/confidence";

/** A probability as a whole percentage, never claiming 0 % or 100 % for what is merely close to it. */
export function percent(p: number): string {
  const rounded = Math.round(p * 100);
  if (rounded === 0 && p > 0) return "<1%";
  if (rounded === 100 && p < 1) return ">99%";
  return `${rounded}%`;
}

/** "Moderate confidence", "Low confidence: treat as uncertain", … for a confidence, with the server's thresholds. */
export function bandWords(confidence: number, thresholds: ConfidenceThresholds): string {
  return BAND_WORDS[confidenceBand(confidence, thresholds)];
}

/** A short local date and time for "asked at" lines and the history, e.g. "12 Mar 2026, 14:05". */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A duration for people: "0.8 s", "12 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
