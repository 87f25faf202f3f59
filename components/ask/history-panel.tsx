"use client";

import type { ConfidenceThresholds } from "@/lib/confidence";
import { Button } from "@/components/ui/button";
import { bandWords, formatTime } from "./format";
import { HISTORY_MAX, type HistoryEntry } from "./history";
import { TitledCard } from "./titled-card";

function summary(entry: HistoryEntry, thresholds: ConfidenceThresholds): string {
  const { letter, confidence } = entry.answer;
  if (!letter) return "No option chosen";
  return confidence !== null
    ? `Answer ${letter}, ${bandWords(confidence, thresholds).toLowerCase()}`
    : `Answer ${letter}`;
}

/**
 * The last questions asked in this browser. They are kept in this browser's local storage only (the line under the
 * heading says so, and that they should be cleared on a shared computer); choosing one shows it with its answer.
 */
export function HistoryPanel({
  entries,
  thresholds,
  onRestore,
  onClear,
}: {
  entries: HistoryEntry[];
  thresholds: ConfidenceThresholds;
  onRestore: (entry: HistoryEntry) => void;
  onClear: () => void;
}) {
  if (entries.length === 0) return null;
  const clear = (
    <Button size="sm" onClick={onClear}>
      Clear
    </Button>
  );
  return (
    <TitledCard titleId="history-heading" testId="history" title="Recent questions" aside={clear} align="center">
      <p className="mt-1 text-sm text-slate-700" data-testid="history-privacy">
        The last {HISTORY_MAX} questions are kept only in this browser and never leave it. Clear them when you use a
        shared computer.
      </p>
      <ul className="mt-3 divide-y divide-slate-100">
        {entries.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              onClick={() => onRestore(entry)}
              className="block w-full rounded-md px-2 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
            >
              <span className="line-clamp-2 break-words text-sm text-slate-900">{entry.question.case.trim()}</span>
              <span className="mt-0.5 block text-xs text-slate-600">
                {formatTime(entry.askedAt)} · {summary(entry, thresholds)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </TitledCard>
  );
}
