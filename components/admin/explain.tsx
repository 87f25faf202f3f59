"use client";

import { useId, useState, type ReactNode } from "react";

/**
 * A term with its meaning in plain words. The meaning is the term's tooltip (hover), its accessible description
 * (screen readers hear it with the term), and a click or tap on the "?" shows it in the page, for touch screens where
 * there is no hover. It opens below, in the flow, so it never sticks out of a narrow screen.
 */
export function Explain({ term, meaning, children }: { term: string; meaning: string; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <span className="inline">
      <span title={meaning}>{children ?? term}</span>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-meaning`}
        aria-label={`What ${term} means`}
        aria-describedby={`${id}-meaning`}
        title={meaning}
        onClick={() => setOpen((o) => !o)}
        className="ml-1 inline-flex h-4 w-4 items-center justify-center rounded-full border border-slate-400 align-middle text-[0.625rem] leading-none font-semibold text-slate-600 normal-case hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
      >
        ?
      </button>
      <span
        id={`${id}-meaning`}
        role="note"
        hidden={!open}
        className="mt-1 block max-w-prose text-xs font-normal tracking-normal text-slate-600 normal-case"
      >
        {meaning}
      </span>
    </span>
  );
}

/** The calibration figures, in plain words; one place so the summary, run page and compare page say the same. */
export const MEANINGS = {
  ece:
    "Expected calibration error: how far the model's stated confidence is from how often it is right, averaged over " +
    "10 confidence bands. 0 is perfectly calibrated; 0.10 means its confidence is off by 10 points on average.",
  brier:
    "Brier score: the squared error of the probabilities the model gave each option, averaged over the questions. " +
    "Lower is better; 0 is certain and right every time. Only answers with per-option probabilities count.",
  aurc:
    "Area under the risk–coverage curve: the average error rate when you keep only the model's most confident " +
    "answers, over every cut-off. Lower is better; it rewards confidence that puts the right answers first.",
  selective:
    "Accuracy on the most confident 50 %, 80 % and all of the answers. If confidence is useful, accuracy rises as " +
    "fewer, more confident answers are kept.",
  agreement: "Agreement: the share of the samples that chose the voted answer. Used here as the vote's confidence.",
  accuracyCi: "Share of completed answers that match the reference, with its 95 % Wilson interval.",
} as const;
