"use client";

import { useState } from "react";

/**
 * Copies `text` to the clipboard and says so. The clipboard needs a secure context (https, or this machine); where
 * the browser refuses, the button says to select the text instead.
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [said, setSaid] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="flex items-center gap-2">
      <span role="status" className="text-xs text-slate-300">
        {said === "copied" ? "Copied" : said === "failed" ? "Copying is blocked here: select the text" : ""}
      </span>
      <button
        type="button"
        className="rounded border border-slate-500 bg-slate-800 px-2 py-0.5 text-xs text-slate-100 hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
        onClick={() => {
          const copied = navigator.clipboard?.writeText(text) ?? Promise.reject(new Error("no clipboard"));
          copied.then(
            () => setSaid("copied"),
            () => setSaid("failed"),
          );
        }}
      >
        Copy<span className="sr-only"> {what}</span>
      </button>
    </span>
  );
}
