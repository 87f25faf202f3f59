"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { paragraphs } from "./reasoning-text";

/** Within this many pixels of the bottom the reader counts as following the newest text. */
const STICK_PX = 32;

/**
 * The model's reasoning as prose, below the answer and collapsible. While it streams it follows the newest text,
 * unless the reader scrolled up to read something, and says it is still writing. It is deliberately not a live
 * region: a screen reader would read every token. The page's status line announces the milestones instead.
 */
export function ReasoningPanel({
  text,
  writing,
  note,
}: {
  text: string;
  writing: boolean;
  /** e.g. "incomplete" after a stop or an error */
  note?: string;
}) {
  const [open, setOpen] = useState(true);
  const [scrolledUp, setScrolledUp] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && writing && follow.current) el.scrollTop = el.scrollHeight;
  }, [text, writing, open]);

  function onScroll() {
    const el = box.current;
    if (!el || !writing) return;
    follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    setScrolledUp(!follow.current);
  }

  function jumpToNewest() {
    const el = box.current;
    if (!el) return;
    follow.current = true;
    setScrolledUp(false);
    el.scrollTop = el.scrollHeight;
  }

  const paras = paragraphs(text);
  return (
    <section
      aria-labelledby="reasoning-heading"
      data-testid="reasoning-panel"
      className="rounded-lg border border-slate-200 bg-white"
    >
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary className="flex cursor-pointer items-center justify-between gap-3 rounded-lg px-4 py-3 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40">
          <h3 id="reasoning-heading" className="font-semibold">
            Model&apos;s reasoning{note ? <span className="font-normal text-slate-600"> ({note})</span> : null}
          </h3>
          <span className="text-xs text-slate-600">
            {writing ? (
              <span data-testid="still-writing" className="inline-flex items-center gap-1.5">
                <span
                  aria-hidden
                  className="size-2 animate-pulse rounded-full bg-brand-600 motion-reduce:animate-none"
                />
                Still writing…
              </span>
            ) : open ? (
              "Hide"
            ) : (
              "Show"
            )}
          </span>
        </summary>
        <div className="relative border-t border-slate-100">
          <div
            ref={box}
            data-testid="reasoning"
            onScroll={onScroll}
            // While it streams the box scrolls on its own, so it must be reachable from the keyboard too.
            {...(writing ? { tabIndex: 0, role: "group", "aria-label": "Reasoning so far" } : {})}
            className={`space-y-3 px-4 py-3 text-[0.9375rem] leading-relaxed text-slate-800 break-words ${
              writing
                ? "max-h-80 overflow-y-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
                : ""
            }`}
          >
            {paras.length ? (
              paras.map((p, i) => (
                <p key={i} className="whitespace-pre-line">
                  {p}
                </p>
              ))
            ) : writing ? (
              <p className="text-slate-600">The reasoning appears here as the model writes it.</p>
            ) : (
              <p className="text-slate-600">The model gave no reasoning.</p>
            )}
          </div>
          {writing && scrolledUp ? (
            <button
              type="button"
              onClick={jumpToNewest}
              className="absolute bottom-2 right-4 rounded-full border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-800 shadow focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600/40"
            >
              Jump to the newest text ↓
            </button>
          ) : null}
        </div>
      </details>
    </section>
  );
}
